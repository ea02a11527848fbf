package dev.orbit.service;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Filters;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the admin console's overview shows of this gateway and its database: which database (backend, location
 * and schema version as the backend describes itself), the rows of each collection, and how long this process
 * has run. Counting reads every collection: meant for an operator's page, not for monitoring at a high rate.
 */
public final class SystemOverview {
    private final DatabaseService db;
    private final Clock clock;

    public SystemOverview(DatabaseService db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The database as its backend describes it, e.g. {@code sqlite orbit.db (schema version 9, ...)}. */
    public String database() {
        return db.describe();
    }

    /** Rows per collection of ORBIT's schema, in the schema's order. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (CollectionSpec spec : db.schema().collections()) {
            out.put(spec.name(), db.count(spec.name(), Filters.all()));
        }
        return out;
    }

    /** When this process started (this gateway; others on the database have their own). */
    public Instant startedAt() {
        return Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    public Duration uptime() {
        return Duration.between(startedAt(), clock.instant()).isNegative() ? Duration.ZERO
                : Duration.between(startedAt(), clock.instant());
    }
}
