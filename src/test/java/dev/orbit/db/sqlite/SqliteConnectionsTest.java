package dev.orbit.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sqlite.SQLiteConnection;

/** The settings every connection gets: what the SqliteOptions promise is what SQLite runs with. */
class SqliteConnectionsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "synchronous {0} is PRAGMA synchronous {1} on writer and readers")
    @CsvSource({"OFF, 0", "NORMAL, 1", "FULL, 2", "EXTRA, 3"})
    void each_synchronous_setting_reaches_every_connection(SqliteOptions.Synchronous setting, int pragma)
            throws SQLException {
        SqliteConnections connections = new SqliteConnections(
                SqliteOptions.defaults(dir.resolve("orbit.db")).withSynchronous(setting));

        try (SqlConnection writer = connections.openWriter(); SqlConnection reader = connections.openReader()) {
            assertThat(pragma(writer, "synchronous")).isEqualTo(String.valueOf(pragma));
            assertThat(pragma(reader, "synchronous")).isEqualTo(String.valueOf(pragma));
        }
    }

    @Test
    void connections_use_wal_and_the_configured_busy_timeout() throws SQLException {
        SqliteOptions options = new SqliteOptions(dir.resolve("orbit.db"), SqliteOptions.Synchronous.NORMAL,
                Duration.ofMillis(1234), 2);
        SqliteConnections connections = new SqliteConnections(options);

        try (SqlConnection writer = connections.openWriter()) {
            // The writer switches the file to WAL once it may change it; readers, opened later, find it so.
            connections.enableWal(writer);
            SqlConnection reader = connections.openReader();
            for (SqlConnection c : new SqlConnection[] {writer, reader}) {
                assertThat(pragma(c, "journal_mode")).isEqualTo("wal");
                assertThat(pragma(c, "busy_timeout")).isEqualTo("1234");
            }
            assertThat(pragma(writer, "query_only")).isEqualTo("0");
            reader.close();
        }
    }

    @Test
    void the_writer_checkpoints_only_as_the_backstop_and_cuts_a_grown_wal_back() throws SQLException {
        SqliteConnections connections = new SqliteConnections(SqliteOptions.defaults(dir.resolve("orbit.db")));

        try (SqlConnection writer = connections.openWriter()) {
            // Pages: twice the largest WAL the checkpointer starts over; a grown WAL is cut back to 1.5 times that.
            assertThat(pragma(writer, "wal_autocheckpoint")).isEqualTo("60000");
            assertThat(pragma(writer, "journal_size_limit")).isEqualTo(String.valueOf(45_000L * 4096));
        }
    }

    @Test
    void every_connection_maps_as_much_of_the_file_as_the_options_say() throws SQLException {
        for (long bytes : new long[] {0, 8L << 20, 256L << 20}) {
            SqliteConnections connections = new SqliteConnections(
                    SqliteOptions.defaults(dir.resolve("orbit-" + bytes + ".db")).withMmapBytes(bytes));
            try (SqlConnection writer = connections.openWriter(); SqlConnection reader = connections.openReader();
                 SqlConnection checkpointer = connections.openCheckpointer()) {
                for (SqlConnection c : new SqlConnection[] {writer, reader, checkpointer}) {
                    assertThat(pragma(c, "mmap_size")).isEqualTo(String.valueOf(bytes));
                }
            }
        }
        assertThat(SqliteOptions.defaults(dir.resolve("orbit.db")).mmapBytes()).isZero();
    }

    @Test
    void no_connection_runs_a_second_statement_for_generated_keys_after_an_insert() throws SQLException {
        SqliteConnections connections = new SqliteConnections(SqliteOptions.defaults(dir.resolve("orbit.db")));

        try (SqlConnection writer = connections.openWriter(); SqlConnection reader = connections.openReader()) {
            for (SqlConnection c : new SqlConnection[] {writer, reader}) {
                // The driver's default selects last_insert_rowid() after every INSERT, on the writer's time.
                assertThat(c.jdbc().unwrap(SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys())
                        .isFalse();
            }
        }
    }

    @Test
    void the_checkpointer_connection_refuses_writes_but_checkpoints() throws SQLException {
        SqliteConnections connections = new SqliteConnections(SqliteOptions.defaults(dir.resolve("orbit.db")));

        try (SqlConnection writer = connections.openWriter()) {
            connections.enableWal(writer);
            writer.execute("CREATE TABLE t (x INTEGER)");
            writer.execute("INSERT INTO t VALUES (1)");
            try (SqlConnection checkpointer = connections.openCheckpointer()) {
                assertThatThrownBy(() -> checkpointer.execute("INSERT INTO t VALUES (2)")).isInstanceOf(SQLException.class);
                WalCheckpointer.Result result = WalCheckpointer.run(checkpointer, "PASSIVE");
                assertThat(result.walPages()).isPositive();
                assertThat(result.complete()).isTrue();
            }
        }
    }

    @Test
    void reader_connections_refuse_writes() throws SQLException {
        SqliteConnections connections = new SqliteConnections(SqliteOptions.defaults(dir.resolve("orbit.db")));

        try (SqlConnection writer = connections.openWriter(); SqlConnection reader = connections.openReader()) {
            writer.execute("CREATE TABLE t (x INTEGER)");
            assertThat(pragma(reader, "query_only")).isEqualTo("1");
            assertThatThrownBy(() -> reader.execute("INSERT INTO t VALUES (1)")).isInstanceOf(SQLException.class);
        }
    }

    private static String pragma(SqlConnection c, String name) throws SQLException {
        try (ResultSet rows = c.prepare("PRAGMA " + name).executeQuery()) {
            rows.next();
            return rows.getString(1);
        }
    }
}
