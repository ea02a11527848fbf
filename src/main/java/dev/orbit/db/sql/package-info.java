/**
 * What the SQL backends (SQLite, PostgreSQL) share: the text forms of instants and of nested maps and lists
 * ({@link dev.orbit.db.sql.InstantText}, {@link dev.orbit.db.sql.JsonText}), so both store and read a
 * reference database's values the same way. Depends only on {@code dev.orbit.db}.
 */
package dev.orbit.db.sql;
