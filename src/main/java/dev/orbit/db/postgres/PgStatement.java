package dev.orbit.db.postgres;

import dev.orbit.db.sql.SqlBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** PostgreSQL SQL with its parameters ({@link SqlBuilder}). */
final class PgStatement extends SqlBuilder<PgStatement> {
    @Override
    protected PgStatement self() {
        return this;
    }

    /** A parameter holding the JSON form of a value, as {@code jsonb}. */
    @Override
    public PgStatement jsonParam(Object value) {
        return placeholder("?::jsonb", PgValues.json(value));
    }

    /** Prepares the statement and binds the parameters; the caller closes it. */
    PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(text());
        try {
            List<Object> params = params();
            for (int i = 0; i < params.size(); i++) {
                PgValues.bind(statement, i + 1, params.get(i));
            }
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
        return statement;
    }
}
