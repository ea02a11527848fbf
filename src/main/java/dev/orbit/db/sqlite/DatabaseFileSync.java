package dev.orbit.db.sqlite;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Syncs a database file to the disk from outside SQLite (for {@link WalCheckpointer}), through one descriptor per
 * file and process: opened by the first service on the file, closed by the last once it has closed its connections.
 *
 * <p>Never a descriptor opened and closed per sync: on POSIX systems closing any descriptor of a file drops every lock
 * the process holds on that file, SQLite's own included. A connection in WAL mode holds a shared lock on the database
 * file all the time; it is what keeps another process that closes its last connection from checkpointing and deleting
 * the WAL that this one is still writing. For the same reason no {@link java.nio.channels.FileChannel}: an interrupt
 * during its {@code force} would close it. {@link java.io.FileDescriptor#sync} is not interruptible. (A connection to
 * the file that is not a service's, and outlives the last service, would lose its locks too: ORBIT's others, a
 * backup's or a status read's in {@link SqliteFiles}, run in processes of their own or close first.)
 */
final class DatabaseFileSync implements AutoCloseable {
    private static final Map<Object, Shared> OPEN = new HashMap<>();

    private final Object key;
    private final Shared shared;
    private boolean closed;

    private DatabaseFileSync(Object key, Shared shared) {
        this.key = key;
        this.shared = shared;
    }

    /** One descriptor of a file, and how many services use it. Guarded by {@link #OPEN}. */
    private static final class Shared {
        final RandomAccessFile file;
        int users;

        Shared(RandomAccessFile file) {
            this.file = file;
        }
    }

    /** The sync of {@code file}, which exists: the process's descriptor of it, opened now if it has none. */
    static DatabaseFileSync open(Path file) throws IOException {
        // The file's identity (device and inode), so that two spellings of one path share the descriptor.
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        if (key == null) {
            key = file.toRealPath();
        }
        synchronized (OPEN) {
            Shared shared = OPEN.get(key);
            if (shared == null) {
                // Read-only: syncing needs no more on Linux and macOS, and nothing is ever written through it.
                shared = new Shared(new RandomAccessFile(file.toFile(), "r"));
                OPEN.put(key, shared);
            }
            shared.users++;
            return new DatabaseFileSync(key, shared);
        }
    }

    /** Writes what the page cache holds of the file through to the disk. */
    void sync() throws IOException {
        shared.file.getFD().sync();
    }

    /** Lets go of the descriptor; the last user closes it (so only once every service's connections are closed). */
    @Override
    public void close() throws IOException {
        synchronized (OPEN) {
            if (closed) {
                return;
            }
            closed = true;
            if (--shared.users == 0) {
                OPEN.remove(key);
                shared.file.close();
            }
        }
    }
}
