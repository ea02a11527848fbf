package dev.orbit.db.sqlite;

import dev.orbit.PrivateFiles;
import dev.orbit.db.DatabaseConnectionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import dev.orbit.db.CaseFolding;
import org.sqlite.Function;
import org.sqlite.SQLiteConfig;

/** Opens connections to one database file with ORBIT's settings (WAL, busy timeout, synchronous). */
final class SqliteConnections {
    /**
     * Pages (4 KiB) the WAL may hold before a commit copies them back into the database file itself: 240 MiB, twice
     * the most at which the {@link WalCheckpointer} starts it over. The checkpointer does it long before, off the
     * writer; this bounds the WAL when it falls behind.
     */
    static final int WAL_AUTOCHECKPOINT_PAGES = 2 * WalCheckpointer.MAX_RESET_PAGES;
    /**
     * What a WAL that grew past the checkpointer's resets (a reader holding an old snapshot, the checkpointer behind)
     * is cut back to when it starts over: bytes, one and a half times the largest reset size (176 MiB). Resets under
     * load overshoot that size by what is committed during their catch-up passes (138 MiB seen), and such a WAL
     * keeps its file rather than being cut and grown again at every reset.
     */
    static final long JOURNAL_SIZE_LIMIT_BYTES = 3L * WalCheckpointer.MAX_RESET_PAGES / 2 * 4096;

    private final SqliteOptions options;
    private final String url;

    SqliteConnections(SqliteOptions options) {
        this.options = options;
        this.url = "jdbc:sqlite:" + fileUri(options.databasePath());
    }

    /**
     * A connection for writing, the only one that changes the database. It starts in the file's own
     * journal mode: the caller switches to WAL once it knows the file is one it may change.
     */
    SqlConnection openWriter() {
        return open(Role.WRITER);
    }

    /**
     * Puts the database in WAL mode (persistent, so readers opened later find it so). Two processes
     * switching a new file at once can each hold the shared lock the other must wait out; SQLite then
     * answers one of them "busy" at once instead of waiting, so that one retries until the busy timeout.
     */
    void enableWal(SqlConnection writer) throws SQLException {
        long deadline = System.nanoTime() + options.busyTimeout().toNanos();
        while (true) {
            try {
                switchToWal(writer);
                return;
            } catch (SQLException e) {
                if (!SqliteErrors.isBusy(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                sleepBriefly();
            }
        }
    }

    private static void switchToWal(SqlConnection writer) throws SQLException {
        try (ResultSet mode = writer.prepare("PRAGMA journal_mode = WAL").executeQuery()) {
            if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
                throw new SQLException("cannot switch to WAL mode (journal mode stays "
                        + (mode.isClosed() ? "unknown" : mode.getString(1)) + ")");
            }
        } finally {
            writer.forgetStatements();
        }
    }

    private static void sleepBriefly() throws SQLException {
        try {
            Thread.sleep(5 + java.util.concurrent.ThreadLocalRandom.current().nextInt(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to switch to WAL mode", e);
        }
    }

    /** A connection that refuses writes ({@code query_only}), for the read pool. */
    SqlConnection openReader() {
        return open(Role.READER);
    }

    /** A connection for the {@link WalCheckpointer}: it copies the WAL into the file, it changes no data. */
    SqlConnection openCheckpointer() {
        return open(Role.CHECKPOINTER);
    }

    private enum Role {
        WRITER, READER, CHECKPOINTER
    }

    private SqlConnection open(Role role) {
        Path path = options.databasePath();
        try {
            // The file holds password and key hashes: a new one is the owner's alone, and SQLite gives its
            // -wal and -shm files the same mode. SQLite treats the empty file as a new database.
            PrivateFiles.createIfMissing(path);
            // No journal mode here: the writer switches the file to WAL once it may change it, and the mode
            // is stored in the file, so readers (opened after that) find it.
            SQLiteConfig config = new SQLiteConfig();
            config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(
                    options.synchronous() == SqliteOptions.Synchronous.EXTRA ? "FULL" : options.synchronous().name()));
            config.setBusyTimeout((int) options.busyTimeout().toMillis());
            config.setTempStore(SQLiteConfig.TempStore.MEMORY);
            config.setCacheSize(-16_384);
            // Nothing reads generated keys (documents carry their own ids), and the driver's default runs a second
            // statement, SELECT last_insert_rowid(), after every INSERT to have them ready: on the writer, whose
            // time is every write's wait.
            config.setGetGeneratedKeys(false);
            config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(options.mmapBytes()));
            Connection jdbc = config.createConnection(url);
            SqlConnection connection = new SqlConnection(jdbc);
            try {
                if (options.synchronous() == SqliteOptions.Synchronous.EXTRA) {
                    connection.execute("PRAGMA synchronous = EXTRA");
                }
                if (role == Role.WRITER) {
                    // Only the writer commits, so only its setting starts checkpoints inside a commit: the backstop
                    // behind the checkpointer. The size limit applies when the writer starts the WAL over.
                    connection.execute("PRAGMA wal_autocheckpoint = " + WAL_AUTOCHECKPOINT_PAGES);
                    connection.execute("PRAGMA journal_size_limit = " + JOURNAL_SIZE_LIMIT_BYTES);
                } else {
                    // A checkpoint is not a write in query_only's sense: the checkpointer may run it.
                    connection.execute("PRAGMA query_only = 1");
                }
                registerFunctions(jdbc);
                return connection;
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new DatabaseConnectionException("cannot open SQLite database " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * A {@code file:} URI for the path, percent-encoded, so that characters such as {@code ?} and
     * {@code #} are part of the file name rather than connection parameters.
     */
    static String fileUri(Path path) {
        StringBuilder uri = new StringBuilder("file:");
        for (byte b : path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "/-._~".indexOf(c) >= 0) {
                uri.append((char) c);
            } else {
                uri.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return uri.toString();
    }

    private static void registerFunctions(Connection jdbc) throws SQLException {
        Function.create(jdbc, SqliteTranslator.FOLD_FUNCTION, new Function() {
            @Override
            protected void xFunc() throws SQLException {
                String text = value_text(0);
                if (text == null) {
                    result();
                } else {
                    result(CaseFolding.fold(text));
                }
            }
        }, 1, Function.FLAG_DETERMINISTIC);
        Function.create(jdbc, SqliteTranslator.ADD_LONG_FUNCTION, new Function() {
            @Override
            protected void xFunc() throws SQLException {
                long current = value_type(0) == org.sqlite.core.Codes.SQLITE_NULL ? 0 : value_long(0);
                try {
                    result(Math.addExact(current, value_long(1)));
                } catch (ArithmeticException overflow) {
                    error("inc would overflow a 64-bit integer");
                }
            }
        }, 2, Function.FLAG_DETERMINISTIC);
    }
}
