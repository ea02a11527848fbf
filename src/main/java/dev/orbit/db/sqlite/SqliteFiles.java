package dev.orbit.db.sqlite;

import dev.orbit.PrivateFiles;
import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.DatabaseException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * Whole-file operations on a SQLite database, each on its own short-lived connection, so they work beside a
 * running ORBIT (which may hold the file open in another process): its schema version, an online backup,
 * and an integrity check. None of them migrates or otherwise changes the database.
 */
public final class SqliteFiles {
    private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);

    private SqliteFiles() {
    }

    /** The schema version this ORBIT writes (files with a lower one are upgraded when opened). */
    public static int latestSchemaVersion() {
        return Migrations.LATEST;
    }

    /** The schema version stored in the file ({@code PRAGMA user_version}); 0 for a reference ORBIT's file. */
    public static int schemaVersion(Path file) {
        requireDatabaseFile(file);
        try (Connection c = open(file); PreparedStatement s = c.prepareStatement("PRAGMA user_version");
             ResultSet rows = s.executeQuery()) {
            return rows.next() ? rows.getInt(1) : 0;
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, "read the schema version of " + file, null);
        }
    }

    /**
     * Writes a consistent copy of the database to {@code target} (which must not exist unless {@code replace}),
     * while other
     * connections and processes go on reading and writing. {@code VACUUM INTO} reads one snapshot, so the copy
     * holds exactly the transactions committed when it started, in every table; the copy is compacted, keeps
     * the schema version, is flushed to disk, and is checked with {@code PRAGMA integrity_check} before it
     * appears under its name (it is written next to it first, so a failed backup leaves nothing behind).
     */
    public static void backup(Path source, Path target, boolean replace) {
        requireDatabaseFile(source);
        DatabaseFiles.requireRegularOrAbsent(target);
        if (!replace && Files.exists(target)) {
            throw new DatabaseException("backup target " + target + " already exists");
        }
        Path partial = target.resolveSibling(target.getFileName() + ".partial-" + ProcessHandle.current().pid()
                + "-" + System.nanoTime());
        try {
            // Created empty and private first (VACUUM INTO accepts an empty file): the copy holds password hashes.
            PrivateFiles.createIfMissing(partial);
            // Not query_only: SQLite counts VACUUM INTO as a write, though it only reads this database.
            try (Connection c = open(source, false); PreparedStatement vacuum = c.prepareStatement("VACUUM INTO ?")) {
                vacuum.setString(1, partial.toAbsolutePath().toString());
                vacuum.execute();
            } catch (SQLException e) {
                throw SqliteErrors.translate(e, "backup of " + source + " to " + target, null);
            }
            List<String> problems = integrityCheck(partial);
            if (!problems.isEmpty()) {
                throw new DatabaseException("backup of " + source + " failed its integrity check: "
                        + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
            }
            force(partial);
            if (replace) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                // No replacing move: a file created at the target meanwhile is not overwritten.
                Files.move(partial, target);
            }
            forceDirectory(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new DatabaseException("backup of " + source + " to " + target + " failed: " + e, e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /**
     * The tables of the file by name, without SQLite's and ORBIT's own bookkeeping: ORBIT's collections and any
     * other application's (a reference ORBIT's feedback, audit logs...), so that a copy can say what it leaves out.
     */
    public static List<String> tables(Path file) {
        requireDatabaseFile(file);
        List<String> tables = new ArrayList<>();
        try (Connection c = open(file); PreparedStatement s = c.prepareStatement(Ownership.TABLES);
             ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                if (!rows.getString(1).equals(TtlSweeper.TABLE)) {
                    tables.add(rows.getString(1));
                }
            }
            return tables;
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, "list the tables of " + file, null);
        }
    }

    /** What {@code PRAGMA integrity_check} finds wrong with the file: empty when it answers "ok". */
    public static List<String> integrityCheck(Path file) {
        requireDatabaseFile(file);
        List<String> problems = new ArrayList<>();
        try (Connection c = open(file); PreparedStatement s = c.prepareStatement("PRAGMA integrity_check");
             ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                String line = rows.getString(1);
                if (!"ok".equals(line)) {
                    problems.add(line);
                }
            }
            return problems;
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, "integrity check of " + file, null);
        }
    }

    /** Refuses a path that is not an existing file: opening one would create an empty database there. */
    private static void requireDatabaseFile(Path file) {
        DatabaseFiles.requireRegularOrAbsent(file);
        if (!Files.exists(file)) {
            throw new DatabaseConnectionException("no SQLite database at " + file, null);
        }
    }

    private static Connection open(Path file) throws SQLException {
        return open(file, true);
    }

    private static Connection open(Path file, boolean queryOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout((int) BUSY_TIMEOUT.toMillis());
        Connection connection = config.createConnection("jdbc:sqlite:" + SqliteConnections.fileUri(file));
        if (!queryOnly) {
            return connection;
        }
        try (PreparedStatement s = connection.prepareStatement("PRAGMA query_only = 1")) {
            s.execute();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void forceDirectory(Path directory) {
        if (directory == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform can sync a directory; the file itself is already on disk.
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Only the leftover of a failed backup; the failure itself is what gets reported.
        }
    }
}
