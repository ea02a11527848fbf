package dev.orbit.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.OrbitSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's own open path refuses database files that are not regular files, as the db commands do. */
class DatabaseFilesTest {
    @TempDir
    Path dir;

    private void refused(Path database, Path culprit, String kind) {
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(database), OrbitSchema.SCHEMA)) {
            assertThatThrownBy(db::initialize).isInstanceOf(DatabaseConnectionException.class)
                    .hasMessage(culprit + " is " + kind + ", not a regular file: refusing to use it as a SQLite"
                            + " database file");
        }
    }

    @Test
    void aDirectoryOrAFifoAsTheDatabaseOrBesideItIsRefusedAndLeftAlone() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("orbit.db"));
        Path fifo = dir.resolve("other.db");
        Path wal = dir.resolve("third.db-wal");
        for (Path p : new Path[] {fifo, wal}) {
            assertThat(new ProcessBuilder("mkfifo", p.toString()).start().waitFor()).isZero();
        }

        refused(directory, directory, "a directory");
        refused(fifo, fifo, "a FIFO");
        refused(dir.resolve("third.db"), wal, "a FIFO");

        assertThat(directory).isEmptyDirectory();
        assertThat(dir.resolve("third.db")).doesNotExist();
        assertThat(Files.isRegularFile(fifo) || Files.isRegularFile(wal)).isFalse();
    }
}
