package dev.orbit.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class DatabaseFileSyncTest {
    @TempDir
    Path dir;

    @Test
    @EnabledOnOs(OS.LINUX) // /proc/locks
    void syncing_the_file_and_letting_go_keeps_the_locks_sqlite_holds_on_it() throws Exception {
        Path file = dir.resolve("orbit.db");
        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
            db.insertOne(OrbitSchema.SYSTEM_STATE, Document.of("_id", "server_paused", "value", false,
                    "updated_at", Instant.now()));
            // SQLite's connections in WAL mode hold a shared lock on the database file all the time.
            assertThat(locksOn(file)).isNotEmpty();

            // Another user of the file (a second service on it, another spelling of its path) syncs and lets go.
            try (DatabaseFileSync other = DatabaseFileSync.open(dir.resolve(".").resolve("orbit.db"))) {
                other.sync();
            }
            assertThat(locksOn(file)).as("locks after another user let go of the file").isNotEmpty();

            // What the shared descriptor avoids: closing any descriptor of the file drops the process's locks on it.
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                assertThat(channel.size()).isPositive();
            }
            assertThat(locksOn(file)).as("locks after a descriptor of the file was closed").isEmpty();
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // /proc/self/fd
    void users_of_one_file_share_one_descriptor_which_the_last_closes() throws Exception {
        Path file = Files.writeString(dir.resolve("some.db"), "x");
        DatabaseFileSync first = DatabaseFileSync.open(file);
        DatabaseFileSync second = DatabaseFileSync.open(dir.resolve(".").resolve("some.db"));
        assertThat(descriptorsOf(file)).isEqualTo(1);
        first.close();
        first.close(); // twice: counted once
        second.sync(); // the descriptor is still open for the second
        assertThat(descriptorsOf(file)).isEqualTo(1);
        second.close();
        assertThat(descriptorsOf(file)).isZero();
        try (DatabaseFileSync again = DatabaseFileSync.open(file)) {
            again.sync();
            assertThat(descriptorsOf(file)).isEqualTo(1);
        }
    }

    /** How many of this process's descriptors are open on the file. */
    private static long descriptorsOf(Path file) throws Exception {
        Path real = file.toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (Exception e) {
                    return false; // closed meanwhile (the listing's own descriptor)
                }
            }).count();
        }
    }

    /** The lines of /proc/locks held by this process on the file (its device and inode). */
    private static List<String> locksOn(Path file) throws Exception {
        long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
        String pid = Long.toString(ProcessHandle.current().pid());
        return Files.readAllLines(Path.of("/proc/locks")).stream()
                .map(line -> line.trim().split("\\s+"))
                .filter(f -> f.length > 5 && f[4].equals(pid) && f[5].endsWith(":" + inode))
                .map(f -> String.join(" ", f))
                .toList();
    }
}
