package dev.orbit.db.postgres;

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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The document operations as SQL on one connection. Inputs are validated and canonical; the caller chooses
 * the connection (one from the pool in auto-commit, or a running transaction's).
 */
final class PgOperations {
    private PgOperations() {
    }

    static List<Document> find(Connection c, PgTranslator sql, PgTable table, Filter filter, FindOptions options)
            throws SQLException {
        CollectionSpec spec = table.spec();
        List<FieldSpec> fields = options.projection().keptFields(spec);
        PgStatement statement = findSql(new PgStatement(), sql, table, filter, options, fields);
        List<Document> out = new ArrayList<>();
        try (PreparedStatement prepared = statement.prepare(c); ResultSet rows = prepared.executeQuery()) {
            while (rows.next()) {
                out.add(readRow(spec, fields, rows));
            }
        }
        return out;
    }

    /**
     * Appends the query of {@link #find} to {@code statement} (after an {@code EXPLAIN}, in tests); {@code fields}
     * are the projection's kept fields.
     */
    static PgStatement findSql(PgStatement statement, PgTranslator sql, PgTable table, Filter filter,
                               FindOptions options, List<FieldSpec> fields) {
        CollectionSpec spec = table.spec();
        if (options.projection().isAll()) {
            statement.sql(table.selectSql());
        } else {
            sql.select(spec, fields, statement);
        }
        statement.sql(" WHERE ");
        sql.where(spec, filter, statement);
        sql.orderBy(spec, options.sort(), statement);
        if (options.limit() > 0) {
            statement.sql(" LIMIT ").number(options.limit());
        }
        if (options.skip() > 0) {
            statement.sql(" OFFSET ").number(options.skip());
        }
        return statement;
    }

    /**
     * Reads every row in id order through one server-side cursor (pgJDBC fetches {@code batchSize} rows at a
     * time when auto-commit is off), so memory holds one batch; the cursor's snapshot is taken at its start.
     */
    static long scan(Connection c, PgTable table, int batchSize, Consumer<List<Document>> consumer)
            throws SQLException {
        CollectionSpec spec = table.spec();
        String text = new PgStatement().sql(table.selectSql()).sql(" ORDER BY ").name("id").text();
        ScanBatches batches = new ScanBatches(batchSize, consumer);
        List<FieldSpec> fields = List.copyOf(spec.fields().values());
        try (PreparedStatement statement = c.prepareStatement(text)) {
            statement.setFetchSize(Math.min(batchSize, 10_000));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    batches.add(readRow(spec, fields, rows));
                }
            }
        }
        return batches.finish();
    }

    static long count(Connection c, PgTranslator sql, PgTable table, Filter filter) throws SQLException {
        PgStatement statement = countSql(new PgStatement(), sql, table, filter);
        try (PreparedStatement prepared = statement.prepare(c); ResultSet rows = prepared.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Appends the query of {@link #count} to {@code statement}. */
    static PgStatement countSql(PgStatement statement, PgTranslator sql, PgTable table, Filter filter) {
        CollectionSpec spec = table.spec();
        statement.sql("SELECT COUNT(*) FROM ").name(spec.name()).sql(" WHERE ");
        sql.where(spec, filter, statement);
        return statement;
    }

    /**
     * Inserts validated documents and returns their ids (generated where missing). Several documents go in
     * as one batch; the caller runs it in a transaction so that it is all or nothing.
     */
    static List<String> insert(Connection c, PgTable table, List<Document> documents) throws SQLException {
        CollectionSpec spec = table.spec();
        List<String> ids = new ArrayList<>(documents.size());
        try (PreparedStatement statement = c.prepareStatement(table.insertSql())) {
            for (Document document : documents) {
                String id = document.id() != null ? document.id() : IdUtils.newUuid();
                int index = 1;
                for (FieldSpec field : spec.fields().values()) {
                    PgValues.bind(statement, index++, field.isId() ? id : document.get(field.name()));
                }
                ids.add(id);
                if (documents.size() == 1) {
                    statement.executeUpdate();
                    return ids;
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
        return ids;
    }

    /**
     * Updates the first ({@code many=false}) or every matching row; upserts when nothing matched. The first
     * match is chosen with {@code FOR UPDATE}, which re-checks the filter on the newest version of a row that
     * another transaction changed meanwhile, so a conditional update is atomic across processes.
     */
    static UpdateResult update(Connection c, PgTranslator sql, PgTable table, Filter filter, List<Update> update,
                               boolean many, boolean upsert) throws SQLException {
        CollectionSpec spec = table.spec();
        PgStatement statement = new PgStatement().sql("UPDATE ").name(spec.name());
        long matched;
        if (sql.set(spec, update, statement)) {
            statement.sql(" WHERE ");
            matching(sql, spec, filter, many, statement);
            try (PreparedStatement prepared = statement.prepare(c)) {
                matched = prepared.executeUpdate();
            }
        } else {
            // Only setOnInsert: nothing to change in existing rows, but "matched" must still be reported.
            long count = count(c, sql, table, filter);
            matched = many ? count : Math.min(1, count);
        }
        if (matched > 0 || !upsert) {
            return new UpdateResult(matched, null);
        }
        Document inserted = Validator.upsertDocument(spec, filter, update);
        return new UpdateResult(0, insert(c, table, List.of(inserted)).getFirst());
    }

    static long delete(Connection c, PgTranslator sql, PgTable table, Filter filter, boolean many)
            throws SQLException {
        CollectionSpec spec = table.spec();
        PgStatement statement = new PgStatement().sql("DELETE FROM ").name(spec.name()).sql(" WHERE ");
        matching(sql, spec, filter, many, statement);
        try (PreparedStatement prepared = statement.prepare(c)) {
            return prepared.executeUpdate();
        }
    }

    /** Deletes up to {@code batch} rows whose instant {@code field} lies before {@code bound}; returns how many. */
    static long deleteBefore(Connection c, PgTable table, FieldSpec field, java.time.Instant bound, int batch)
            throws SQLException {
        CollectionSpec spec = table.spec();
        PgStatement statement = new PgStatement().sql("DELETE FROM ").name(spec.name()).sql(" WHERE ").name("id")
                .sql(" IN (SELECT ").name("id").sql(" FROM ").name(spec.name()).sql(" WHERE ").name(field.column())
                .sql(" < ").param(bound).sql(" LIMIT ").number(batch).sql(")");
        try (PreparedStatement prepared = statement.prepare(c)) {
            return prepared.executeUpdate();
        }
    }

    private static void matching(PgTranslator sql, CollectionSpec spec, Filter filter, boolean many,
                                 PgStatement statement) {
        if (many) {
            sql.where(spec, filter, statement);
            return;
        }
        statement.name("id").sql(" = (SELECT ").name("id").sql(" FROM ").name(spec.name()).sql(" WHERE ");
        sql.where(spec, filter, statement);
        statement.sql(" LIMIT 1 FOR UPDATE)");
    }

    /** A row of the columns of {@code fields}, in that order. */
    private static Document readRow(CollectionSpec spec, List<FieldSpec> fields, ResultSet rows) throws SQLException {
        Document doc = new Document(fields.size());
        int column = 1;
        for (FieldSpec field : fields) {
            try {
                doc.put(field.name(), PgValues.read(rows, column++, field));
            } catch (IllegalArgumentException e) {
                // Written by something else; the value itself stays out of the message.
                throw new DatabaseOperationException("postgres find on " + spec.name() + ": a row holds an"
                        + " unreadable " + field.type().label() + " in " + field.column(), e);
            }
        }
        return doc;
    }
}
