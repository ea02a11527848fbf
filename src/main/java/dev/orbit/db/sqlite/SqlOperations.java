package dev.orbit.db.sqlite;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseOperationException;
import dev.orbit.db.Document;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.Filter;
import dev.orbit.db.FindOptions;
import dev.orbit.db.IdUtils;
import dev.orbit.db.ScanBatches;
import dev.orbit.db.Update;
import dev.orbit.db.UpdateResult;
import dev.orbit.db.Validator;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The document operations as SQL on one connection. Inputs are already validated and canonical; the
 * caller decides which connection (a reader, the group-committing writer, or a transaction's).
 */
final class SqlOperations {
    private SqlOperations() {
    }

    static List<Document> find(SqlConnection c, SqliteTable table, Filter filter, FindOptions options)
            throws SQLException {
        CollectionSpec spec = table.spec();
        List<FieldSpec> fields = options.projection().keptFields(spec);
        PreparedStatement statement = findSql(new SqlStatement(), table, filter, options, fields).prepare(c);
        List<Document> out = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                out.add(readRow(spec, fields, rows));
            }
        }
        return out;
    }

    /**
     * Appends the query of {@link #find} to {@code sql} (after an {@code EXPLAIN QUERY PLAN}, in tests); {@code fields}
     * are the projection's kept fields.
     */
    static SqlStatement findSql(SqlStatement sql, SqliteTable table, Filter filter, FindOptions options,
                                List<FieldSpec> fields) {
        CollectionSpec spec = table.spec();
        if (options.projection().isAll()) {
            sql.sql(table.selectSql());
        } else {
            SqliteTranslator.INSTANCE.select(spec, fields, sql);
        }
        sql.sql(" WHERE ");
        SqliteTranslator.INSTANCE.where(spec, filter, sql);
        SqliteTranslator.INSTANCE.orderBy(spec, options.sort(), sql);
        if (options.limit() > 0 || options.skip() > 0) {
            sql.sql(" LIMIT ").number(options.limit() > 0 ? options.limit() : -1L);
        }
        if (options.skip() > 0) {
            sql.sql(" OFFSET ").number(options.skip());
        }
        return sql;
    }

    /**
     * Reads every row in id order with one statement (one snapshot), handing them to the consumer in
     * batches of at most {@code batchSize}; returns how many rows it handed over.
     */
    static long scan(SqlConnection c, SqliteTable table, int batchSize, Consumer<List<Document>> consumer)
            throws SQLException {
        CollectionSpec spec = table.spec();
        String sql = new SqlStatement().sql(table.selectSql()).sql(" ORDER BY ").name("id").text();
        ScanBatches batches = new ScanBatches(batchSize, consumer);
        List<FieldSpec> fields = List.copyOf(spec.fields().values());
        try (ResultSet rows = c.prepare(sql).executeQuery()) {
            while (rows.next()) {
                batches.add(readRow(spec, fields, rows));
            }
        }
        return batches.finish();
    }

    static long count(SqlConnection c, SqliteTable table, Filter filter) throws SQLException {
        try (ResultSet rows = countSql(new SqlStatement(), table, filter).prepare(c).executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Appends the query of {@link #count} to {@code sql}. */
    static SqlStatement countSql(SqlStatement sql, SqliteTable table, Filter filter) {
        CollectionSpec spec = table.spec();
        sql.sql("SELECT COUNT(*) FROM ").name(spec.name()).sql(" WHERE ");
        SqliteTranslator.INSTANCE.where(spec, filter, sql);
        return sql;
    }

    /** Inserts validated documents, all or none, and returns their ids (generated where missing). */
    static List<String> insert(SqlConnection c, SqliteTable table, List<Document> documents) throws SQLException {
        CollectionSpec spec = table.spec();
        List<String> ids = new ArrayList<>(documents.size());
        if (documents.size() <= SqliteTable.MAX_ROWS_PER_INSERT) {
            // One statement: SQLite undoes a failing statement whole, so its rows need no savepoint of their own.
            PreparedStatement statement = c.prepare(table.insertSql(documents.size()));
            int index = 1;
            for (Document document : documents) {
                index = bindRow(statement, index, spec, document, ids);
            }
            statement.executeUpdate();
            return ids;
        }
        PreparedStatement statement = c.prepare(table.insertSql());
        for (Document document : documents) {
            bindRow(statement, 1, spec, document, ids);
            statement.addBatch();
        }
        // Several rows are all or nothing, also inside a group commit shared with other callers.
        c.execute("SAVEPOINT orbit_insert_many");
        try {
            statement.executeBatch();
        } catch (SQLException e) {
            c.execute("ROLLBACK TO orbit_insert_many");
            c.execute("RELEASE orbit_insert_many");
            throw e;
        }
        c.execute("RELEASE orbit_insert_many");
        return ids;
    }

    /** Binds a row's values from parameter {@code index} on; adds its id to {@code ids}; returns the next index. */
    private static int bindRow(PreparedStatement statement, int index, CollectionSpec spec, Document document,
                               List<String> ids) throws SQLException {
        String id = document.id() != null ? document.id() : IdUtils.newUuid();
        int next = index;
        for (FieldSpec field : spec.fields().values()) {
            SqlValues.bind(statement, next++, field.isId() ? id : document.get(field.name()));
        }
        ids.add(id);
        return next;
    }

    /** Updates the first ({@code many=false}) or every matching row; upserts when nothing matched. */
    static UpdateResult update(SqlConnection c, SqliteTable table, Filter filter, List<Update> update,
                               boolean many, boolean upsert) throws SQLException {
        CollectionSpec spec = table.spec();
        SqlStatement sql = new SqlStatement().sql("UPDATE ").name(spec.name());
        long matched;
        if (SqliteTranslator.INSTANCE.set(spec, update, sql)) {
            sql.sql(" WHERE ");
            matching(spec, filter, many, sql);
            matched = sql.prepare(c).executeUpdate();
        } else {
            // Only setOnInsert: nothing to change in existing rows, but "matched" must still be reported.
            matched = many ? count(c, table, filter) : Math.min(1, count(c, table, filter));
        }
        if (matched > 0 || !upsert) {
            return new UpdateResult(matched, null);
        }
        Document inserted = Validator.upsertDocument(spec, filter, update);
        return new UpdateResult(0, insert(c, table, List.of(inserted)).getFirst());
    }

    static long delete(SqlConnection c, SqliteTable table, Filter filter, boolean many) throws SQLException {
        CollectionSpec spec = table.spec();
        SqlStatement sql = new SqlStatement().sql("DELETE FROM ").name(spec.name()).sql(" WHERE ");
        matching(spec, filter, many, sql);
        return sql.prepare(c).executeUpdate();
    }

    /** Deletes up to {@code batch} rows whose {@code column} sorts before {@code bound}; returns how many. */
    static long deleteBefore(SqlConnection c, SqliteTable table, FieldSpec field, Object bound, int batch)
            throws SQLException {
        CollectionSpec spec = table.spec();
        SqlStatement sql = new SqlStatement().sql("DELETE FROM ").name(spec.name()).sql(" WHERE ").name("id")
                .sql(" IN (SELECT ").name("id").sql(" FROM ").name(spec.name()).sql(" WHERE ").name(field.column())
                .sql(" < ").param(bound).sql(" AND typeof(").name(field.column()).sql(") = 'text' LIMIT ")
                .number(batch).sql(")");
        return sql.prepare(c).executeUpdate();
    }

    /** The row condition: the filter itself, or the id of its first match when only one row may change. */
    private static void matching(CollectionSpec spec, Filter filter, boolean many, SqlStatement sql) {
        if (many) {
            SqliteTranslator.INSTANCE.where(spec, filter, sql);
            return;
        }
        sql.name("id").sql(" = (SELECT ").name("id").sql(" FROM ").name(spec.name()).sql(" WHERE ");
        SqliteTranslator.INSTANCE.where(spec, filter, sql);
        sql.sql(" LIMIT 1)");
    }

    /** A row of the columns of {@code fields}, in that order. */
    private static Document readRow(CollectionSpec spec, List<FieldSpec> fields, ResultSet rows) throws SQLException {
        Document doc = new Document(fields.size());
        int column = 1;
        for (FieldSpec field : fields) {
            try {
                doc.put(field.name(), SqlValues.read(rows, column++, field));
            } catch (IllegalArgumentException e) {
                // Written by something else (e.g. an old reference ORBIT); the value itself stays out of the message.
                String row = fields.getFirst().isId() ? "row " + rows.getString(1) : "a row";
                throw new DatabaseOperationException("sqlite find on " + spec.name() + ": " + row + " holds an unreadable " + field.type().label() + " in " + field.column(), e);
            }
        }
        return doc;
    }
}
