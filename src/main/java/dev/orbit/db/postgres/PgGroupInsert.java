package dev.orbit.db.postgres;

import dev.orbit.db.DatabaseException;
import dev.orbit.db.Document;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group insert: single-document inserts of many concurrent callers share one statement and one commit.
 * Callers queue up; whoever reaches the head while no group runs takes every queued insert (up to a cap) and
 * writes them per table as one auto-committed {@code INSERT ... SELECT FROM unnest(...)}, then hands each caller
 * its result after that commit; meanwhile the next group gathers. Alone, an insert is the plain one-row statement
 * at once, with no wait. (One group at a time measured cheaper per row than two: a second slot mostly ran groups
 * of one, each a statement and a commit of its own.)
 *
 * <p>Errors stay per document. When a unique key is taken (by an existing row or another row of the group) the
 * statement fails whole and runs again with {@code ON CONFLICT DO NOTHING RETURNING id}; the rows it skipped,
 * and every row of a group whose statement failed otherwise, are inserted once more on their own, which reports
 * exactly what a lone insert reports (usually the duplicate key). A lost connection is not retried: whether the
 * group committed is unknown, as for a lone insert.
 *
 * <p>No extra thread: the leader is a caller. (SQLite's {@code GroupCommitWriter} has one, since a virtual thread in
 * SQLite's native code holds its carrier for the whole batch; the PostgreSQL driver waits on a socket, which
 * frees it.)
 */
final class PgGroupInsert {
    /** Bounds one statement's size and the time its row locks are held. */
    private static final int MAX_GROUP = 256;

    private final PgConnections connections;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean running;
    private boolean closed;
    // Written by leaders outside the lock: counters that need none.
    private final LongAdder groups = new LongAdder();
    private final LongAdder groupedRows = new LongAdder();

    /** Where the group's connection comes from, and how a failure is named. */
    interface PgConnections {
        Connection get() throws SQLException;

        DatabaseException translate(SQLException e, String collection);
    }

    PgGroupInsert(PgConnections connections) {
        this.connections = connections;
    }

    /** Inserts one validated document with its id set; returns after commit, or throws what a lone insert would. */
    String insert(PgTable table, Document document) {
        Pending mine = new Pending(table, document);
        List<Pending> group;
        lock.lock();
        try {
            if (closed) {
                throw new DatabaseException("the PostgreSQL database is closed");
            }
            queue.addLast(mine);
            while (!mine.done && (queue.peekFirst() != mine || running)) {
                mine.wakeUp.awaitUninterruptibly();
            }
            if (mine.done) {
                return mine.outcome(connections);
            }
            group = takeGroup();
            running = true;
        } finally {
            lock.unlock();
        }
        try {
            run(group);
        } finally {
            finish(group);
        }
        return mine.outcome(connections);
    }

    /**
     * Group statements that ran and the rows they stored (rows inserted alone are in neither), inserts queued
     * and whether a group runs now: rows per group is what the grouping saves.
     */
    Stats stats() {
        lock.lock();
        try {
            return new Stats(groups.sum(), groupedRows.sum(), queue.size(), running);
        } finally {
            lock.unlock();
        }
    }

    /** See {@link #stats()}. */
    record Stats(long groups, long groupedRows, int queued, boolean running) {
    }

    private List<Pending> takeGroup() {
        List<Pending> group = new ArrayList<>(Math.min(queue.size(), MAX_GROUP));
        while (!queue.isEmpty() && group.size() < MAX_GROUP) {
            group.add(queue.removeFirst());
        }
        return group;
    }

    private void wakeHead() {
        Pending head = queue.peekFirst();
        if (head != null && !running) {
            head.wakeUp.signal();
        }
    }

    private void finish(List<Pending> group) {
        lock.lock();
        try {
            running = false;
            for (Pending p : group) {
                p.done = true;
                p.wakeUp.signal();
            }
            wakeHead();
            if (queue.isEmpty()) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Pending> group) {
        try (Connection c = connections.get()) {
            List<Pending> alone = new ArrayList<>();
            for (Map.Entry<PgTable, List<Pending>> perTable : byTable(group).entrySet()) {
                insertTogether(c, perTable.getKey(), perTable.getValue(), alone);
            }
            for (Pending p : alone) {
                insertAlone(c, p);
            }
        } catch (SQLException e) {
            // No connection, or it broke: whatever has no outcome yet fails with that.
            for (Pending p : group) {
                if (p.result == null && p.error == null) {
                    p.error = e;
                }
            }
        } catch (RuntimeException | Error e) {
            for (Pending p : group) {
                if (p.result == null && p.error == null) {
                    p.error = e;
                }
            }
            throw e;
        }
    }

    private static Map<PgTable, List<Pending>> byTable(List<Pending> group) {
        Map<PgTable, List<Pending>> out = new LinkedHashMap<>();
        for (Pending p : group) {
            out.computeIfAbsent(p.table, t -> new ArrayList<>()).add(p);
        }
        return out;
    }

    /**
     * The table's inserts in one plain statement; if a unique key is taken (by a row stored before or one of the
     * group), once more skipping the rows that take one. What no statement stored is left for
     * {@link #insertAlone}. Two inserts of one id cannot share a statement (RETURNING would not say whose row
     * went in): the second waits.
     */
    private void insertTogether(Connection c, PgTable table, List<Pending> inserts, List<Pending> alone)
            throws SQLException {
        List<Pending> rows = new ArrayList<>(inserts.size());
        Set<String> ids = new HashSet<>();
        for (Pending p : inserts) {
            (ids.add(p.id) ? rows : alone).add(p);
        }
        if (rows.size() == 1) {
            alone.addAll(rows);
            return;
        }
        try {
            try (PreparedStatement statement = bind(c, table.groupInsertSql(), table, rows)) {
                statement.executeUpdate();
            }
            stored(rows, rows.size());
            return;
        } catch (SQLException e) {
            if (PgErrors.isConnectionLost(e)) {
                throw e;
            }
            if (!PgErrors.isDuplicateKey(e)) {
                // Nothing of the statement was stored (a deadlock with another group, say): each on its own.
                alone.addAll(rows);
                return;
            }
        }
        Set<String> stored = new HashSet<>();
        try (PreparedStatement statement = bind(c, table.groupInsertSkippingSql(), table, rows);
             ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                stored.add(result.getString(1));
            }
        } catch (SQLException e) {
            if (PgErrors.isConnectionLost(e)) {
                throw e;
            }
            alone.addAll(rows);
            return;
        }
        List<Pending> in = new ArrayList<>(stored.size());
        for (Pending p : rows) {
            (stored.contains(p.texts[table.idColumn()]) ? in : alone).add(p);
        }
        stored(in, in.size());
    }

    private static PreparedStatement bind(Connection c, String sql, PgTable table, List<Pending> rows)
            throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        try {
            int columns = table.spec().fields().size();
            for (int column = 0; column < columns; column++) {
                String[] values = new String[rows.size()];
                for (int row = 0; row < values.length; row++) {
                    values[row] = rows.get(row).texts[column];
                }
                statement.setArray(column + 1, c.createArrayOf("text", values));
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private void stored(List<Pending> rows, int count) {
        groups.increment();
        groupedRows.add(count);
        for (Pending p : rows) {
            p.result = p.id;
        }
    }

    private static void insertAlone(Connection c, Pending p) throws SQLException {
        try {
            p.result = PgOperations.insert(c, p.table, List.of(p.document)).getFirst();
        } catch (SQLException e) {
            if (PgErrors.isConnectionLost(e)) {
                throw e;
            }
            p.error = e;
        }
    }

    /** Waits for running and queued inserts to finish, then refuses new ones. */
    void close() {
        lock.lock();
        try {
            closed = true;
            while (running || !queue.isEmpty()) {
                idle.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** One caller's insert and, once done, its outcome. Guarded by the lock, except while its group runs. */
    private final class Pending {
        final PgTable table;
        final Document document;
        final String id;
        /** The row as the text of each column, in column order: what the group statement binds. */
        final String[] texts;
        final Condition wakeUp = lock.newCondition();
        String result;
        Throwable error;
        boolean done;

        Pending(PgTable table, Document document) {
            this.table = table;
            this.document = document;
            this.id = document.id();
            this.texts = table.texts(document);
        }

        String outcome(PgConnections connections) {
            return switch (error) {
                case null -> result;
                case SQLException e -> throw connections.translate(e, table.name());
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new DatabaseException("postgres insert on " + table.name() + ": " + error, error);
            };
        }
    }
}
