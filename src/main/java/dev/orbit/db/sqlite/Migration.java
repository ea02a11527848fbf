package dev.orbit.db.sqlite;

import java.sql.SQLException;

/**
 * One step of the SQLite schema's history, applied once, in order, and recorded in
 * {@code PRAGMA user_version}. Steps are never edited after release; a change is a new step.
 */
record Migration(int version, String description, Step step) {
    @FunctionalInterface
    interface Step {
        void apply(SqlConnection connection) throws SQLException;
    }
}
