package dev.orbit.service;

import dev.orbit.config.AuditConfig;
import dev.orbit.db.DatabaseService;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit and usage services on one database, with their background work: the conversation writer and the
 * retention job (audit records after {@code retention_days}, rollups after {@code usage.retention_days}).
 * {@link #close} stops the retention job and writes what the conversation writer holds.
 */
public final class AuditServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditServices.class);

    private final AuditSettings settings;
    private final AuditService audit;
    private final UsageService usage;
    private final AuditWriter writer;
    private ScheduledExecutorService retention;

    public AuditServices(DatabaseService db, AuditSettings settings, PriceTable prices, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.audit = new AuditService(db, settings, clock);
        this.usage = new UsageService(db, prices, clock);
        this.writer = settings.chatEnabled() ? new AuditWriter(audit, usage, settings.queueCapacity(),
                settings.batchSize(), settings.flushInterval()) : null;
    }

    public static AuditServices fromConfig(AuditConfig config, DatabaseService db, Clock clock) {
        return new AuditServices(db, AuditSettings.from(config), new PriceTable(config.prices(), config.pricesUpdated()), clock);
    }

    /** Clears what {@code clear_on_startup} says, then runs retention now and every retention interval. */
    public synchronized void start() {
        audit.clearOnStartup();
        if (retention == null && (settings.chatEnabled() || settings.adminEnabled())) {
            retention = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("orbit-audit-retention").factory());
            retention.scheduleWithFixedDelay(this::purgeLogged, 1, settings.retentionInterval().toSeconds(),
                    TimeUnit.SECONDS);
        }
    }

    /** One retention run: audit records past {@code retention_days}, rollups past {@code usage.retention_days}. */
    public long purge() {
        long deleted = audit.purgeExpired();
        if (settings.usageRetentionDays() > 0) {
            deleted += usage.purgeOlderThan(settings.usageRetentionDays());
        }
        return deleted;
    }

    private void purgeLogged() {
        try {
            long deleted = purge();
            if (deleted > 0) {
                LOG.info("audit retention deleted {} records", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("audit retention failed; next run in {}", settings.retentionInterval(), e);
        }
    }

    public AuditSettings settings() {
        return settings;
    }

    public AuditService audit() {
        return audit;
    }

    public UsageService usage() {
        return usage;
    }

    /** Queues a chat call for the conversation audit and rollups; never blocks, does nothing when off. */
    public void recordChat(ChatEvent event) {
        if (writer != null) {
            writer.offer(event);
        }
    }

    /** The conversation writer, when the conversation audit is on (its counters, and flushing in tests). */
    public java.util.Optional<AuditWriter> writer() {
        return java.util.Optional.ofNullable(writer);
    }

    @Override
    public synchronized void close() {
        if (retention != null) {
            retention.shutdownNow();
            retention = null;
        }
        if (writer != null) {
            writer.close();
            if (writer.dropped() > 0 || writer.failed() > 0) {
                LOG.warn("conversation audit: {} records dropped (queue full), {} lost to failed writes",
                        writer.dropped(), writer.failed());
            }
        }
    }
}
