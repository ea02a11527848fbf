package dev.orbit.service;

import static dev.orbit.db.OrbitSchema.USERS;

import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Filters;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whether the gateway can serve: its database answers a read ({@code GET /health/ready}). */
public final class Readiness {
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

    private final DatabaseService db;

    public Readiness(DatabaseService db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /**
     * True when a count of the users collection succeeds. A failure is the answer here (a load balancer takes
     * the process out of rotation), so it is logged and reported as false instead of propagating.
     */
    public boolean databaseAnswers() {
        try {
            db.count(USERS, Filters.all());
            return true;
        } catch (DatabaseException e) {
            LOG.warn("readiness check: the database does not answer: {}", e.getMessage());
            return false;
        }
    }
}
