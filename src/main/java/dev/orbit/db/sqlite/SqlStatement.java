package dev.orbit.db.sqlite;

import dev.orbit.db.sql.SqlBuilder;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** SQLite SQL with its parameters ({@link SqlBuilder}), prepared from a connection's statement cache. */
final class SqlStatement extends SqlBuilder<SqlStatement> {
    /** A parameter bound as JSON text, for {@code json(?)}. */
    record Json(Object value) {
    }

    @Override
    protected SqlStatement self() {
        return this;
    }

    @Override
    public SqlStatement jsonParam(Object value) {
        return placeholder("json(?)", new Json(value));
    }

    /** Prepares (from the connection's cache) and binds the parameters. */
    PreparedStatement prepare(SqlConnection connection) throws SQLException {
        PreparedStatement statement = connection.prepare(text());
        List<Object> params = params();
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) instanceof Json json) {
                SqlValues.bindJson(statement, i + 1, json.value());
            } else {
                SqlValues.bind(statement, i + 1, params.get(i));
            }
        }
        return statement;
    }
}
