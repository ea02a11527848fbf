package dev.orbit.db.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the SQLite backend.
 *
 * @param databasePath    the database file (absolute; the config layer resolves relative paths)
 * @param synchronous     how hard a commit pushes data to disk (see {@link Synchronous})
 * @param busyTimeout     how long a writer waits for another process's write lock before failing
 * @param readConnections how many connections serve reads concurrently (writes use one more)
 * @param allowForeign    whether a file holding another application's tables may be given ORBIT's all the same
 *                        (refused by default: a mistyped path must not alter someone else's database)
 * @param mmapBytes       how much of the file each connection reads through memory mapping (SQLite's {@code PRAGMA
 *                        mmap_size}; 0: none, pages are read with system calls). Off by default (see
 *                        {@link #DEFAULT_MMAP_BYTES}); a disk error while reading a mapped page stops the process
 *                        instead of failing the query
 */
public record SqliteOptions(Path databasePath, Synchronous synchronous, Duration busyTimeout, int readConnections,
                            boolean allowForeign, long mmapBytes) {
    /**
     * The default mapping: none. In WAL mode a read transaction that finds the database changed since its
     * connection's last one empties that connection's page cache and unmaps its whole mapping (SQLite's pager_reset
     * and unfetch), so while chat turns are written every few milliseconds nearly every read tore a mapping down and
     * faulted its pages in again. Without it: 52% more turns a second in {@code orbit bench turns} at 32% less CPU a
     * turn, and 19-23% more chat turns through HTTP (README).
     */
    public static final long DEFAULT_MMAP_BYTES = 0;
    /** SQLite's own ceiling (its default SQLITE_MAX_MMAP_SIZE, 0x7fff0000); it would silently lower more. */
    public static final long MAX_MMAP_BYTES = 0x7fff0000L;

    public SqliteOptions {
        Objects.requireNonNull(databasePath, "databasePath");
        Objects.requireNonNull(synchronous, "synchronous");
        if (busyTimeout == null || busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busyTimeout must be between 0 and " + Integer.MAX_VALUE + " ms");
        }
        if (readConnections < 1 || readConnections > 64) {
            throw new IllegalArgumentException("readConnections must be between 1 and 64, got " + readConnections);
        }
        if (mmapBytes < 0 || mmapBytes > MAX_MMAP_BYTES) {
            throw new IllegalArgumentException("mmapBytes must be between 0 and " + MAX_MMAP_BYTES + ", got " + mmapBytes);
        }
    }

    /** Options with the default mapping. */
    public SqliteOptions(Path databasePath, Synchronous synchronous, Duration busyTimeout, int readConnections,
                         boolean allowForeign) {
        this(databasePath, synchronous, busyTimeout, readConnections, allowForeign, DEFAULT_MMAP_BYTES);
    }

    /** Options that refuse a file holding another application's tables. */
    public SqliteOptions(Path databasePath, Synchronous synchronous, Duration busyTimeout, int readConnections) {
        this(databasePath, synchronous, busyTimeout, readConnections, false);
    }

    public static SqliteOptions defaults(Path databasePath) {
        return new SqliteOptions(databasePath, Synchronous.NORMAL, Duration.ofSeconds(10), 4);
    }

    public SqliteOptions withSynchronous(Synchronous value) {
        return new SqliteOptions(databasePath, value, busyTimeout, readConnections, allowForeign, mmapBytes);
    }

    public SqliteOptions withMmapBytes(long value) {
        return new SqliteOptions(databasePath, synchronous, busyTimeout, readConnections, allowForeign, value);
    }

    /** These options, letting ORBIT add its tables to a file that holds another application's. */
    public SqliteOptions withForeignAllowed() {
        return new SqliteOptions(databasePath, synchronous, busyTimeout, readConnections, true, mmapBytes);
    }

    /**
     * SQLite's {@code PRAGMA synchronous} in WAL mode, i.e. what a successful commit survives.
     */
    public enum Synchronous {
        /** No fsync at all: a commit survives a crash of ORBIT, but an OS crash or power loss may corrupt recent data. */
        OFF,
        /**
         * The default. A commit survives a crash or {@code kill -9} of ORBIT; an OS crash or power loss may
         * roll back the last commits (never corrupts the file). Fast: fsync only at checkpoints.
         */
        NORMAL,
        /** A commit survives power loss too: the WAL is fsynced at every commit (group commit amortises it). */
        FULL,
        /** FULL, plus the directory is synced when the WAL is reset. */
        EXTRA
    }
}
