/**
 * What the SQL backends (SQLite, PostgreSQL) share: the text forms of instants and of nested maps and lists
 * ({@link dev.orbit.db.sql.InstantText}, {@link dev.orbit.db.sql.JsonText}), so both store and read a
 * reference database's values the same way; the statement builder ({@link dev.orbit.db.sql.SqlBuilder}) and the
 * translation of filters, sorts and updates ({@link dev.orbit.db.sql.SqlTranslator}), each backend supplying only
 * its dialect. Depends only on {@code dev.orbit.db}.
 */
package dev.orbit.db.sql;
