package dev.orbit.db.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL text being built with its parameters, in order. Names enter only through {@link #name} (identifiers
 * already checked by {@link dev.orbit.db.Names}, double-quoted); values only as parameters.
 */
final class PgStatement {
    private final StringBuilder sql = new StringBuilder(128);
    private final List<Object> params = new ArrayList<>();

    PgStatement sql(String text) {
        sql.append(text);
        return this;
    }

    PgStatement name(String identifier) {
        sql.append('"').append(identifier).append('"');
        return this;
    }

    /** An integer literal (LIMIT, OFFSET). */
    PgStatement number(long value) {
        sql.append(value);
        return this;
    }

    PgStatement param(Object value) {
        sql.append('?');
        params.add(value);
        return this;
    }

    /** A parameter holding the JSON form of a value, as {@code jsonb}. */
    PgStatement jsonParam(Object value) {
        sql.append("?::jsonb");
        params.add(PgValues.json(value));
        return this;
    }

    String text() {
        return sql.toString();
    }

    /** Prepares the statement and binds the parameters; the caller closes it. */
    PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql.toString());
        try {
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
