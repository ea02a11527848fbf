package dev.orbit.db.sqlite;

import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseTimeoutException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A fixed number of read-only connections, opened on first need. In WAL mode readers never wait for
 * the writer, so reads scale with connections while writes go through the one writer.
 */
final class ReadPool implements AutoCloseable {
    private final Supplier<SqlConnection> opener;
    private final int size;
    private final Duration waitLimit;
    /** Used as a stack: the most recently used connection, whose page cache is warmest, goes out first. */
    private final BlockingDeque<SqlConnection> idle;
    private final List<SqlConnection> all = new ArrayList<>();
    private volatile boolean closed;

    ReadPool(Supplier<SqlConnection> opener, int size, Duration waitLimit) {
        this.opener = opener;
        this.size = size;
        this.waitLimit = waitLimit;
        this.idle = new LinkedBlockingDeque<>(size);
    }

    <T> T read(SqlWork<T> work) throws SQLException {
        SqlConnection connection = borrow();
        try {
            return work.run(connection);
        } finally {
            giveBack(connection);
        }
    }

    private void giveBack(SqlConnection connection) {
        synchronized (all) {
            if (!closed) {
                idle.addFirst(connection);
                return;
            }
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // The pool is closed; the connection has no one left to serve.
        }
    }

    private SqlConnection borrow() {
        if (closed) {
            throw new DatabaseException("the SQLite database is closed");
        }
        SqlConnection connection = idle.pollFirst();
        if (connection != null) {
            return connection;
        }
        synchronized (all) {
            if (closed) {
                throw new DatabaseException("the SQLite database is closed");
            }
            if (all.size() < size) {
                SqlConnection opened = opener.get();
                all.add(opened);
                return opened;
            }
        }
        try {
            connection = idle.pollFirst(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("interrupted while waiting for a read connection", e);
        }
        if (connection == null) {
            throw new DatabaseTimeoutException("sqlite read pool - timed out after " + waitLimit.toMillis()
                    + " ms waiting for a connection (all " + size + " busy)", null);
        }
        return connection;
    }

    /** Connections open now, busy or idle. */
    int open() {
        synchronized (all) {
            return all.size();
        }
    }

    /** Connections open and waiting for a read now. */
    int idle() {
        return idle.size();
    }

    /** The most connections this pool opens. */
    int size() {
        return size;
    }

    /** Closes every idle connection now and every busy one when its read returns it. */
    @Override
    public void close() {
        synchronized (all) {
            closed = true;
            List<SqlConnection> drained = new ArrayList<>();
            idle.drainTo(drained);
            for (SqlConnection connection : drained) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // Closing at shutdown: nothing left that could use or report it.
                }
            }
        }
    }
}
