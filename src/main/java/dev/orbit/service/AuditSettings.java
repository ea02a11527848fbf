package dev.orbit.service;

import dev.orbit.config.AuditConfig;
import java.time.Duration;

/**
 * The audit services' settings ({@link AuditConfig}, plus the writer's batch size).
 *
 * @param chatEnabled   conversation audit and usage rollups
 * @param adminEnabled  admin audit
 */
public record AuditSettings(boolean chatEnabled, boolean adminEnabled, boolean storeContent, boolean compressResponses,
                            int retentionDays, int usageRetentionDays, Duration flushInterval, int queueCapacity,
                            int batchSize, boolean clearOnStartup, boolean clearAdminOnStartup,
                            Duration retentionInterval) {
    /**
     * Records per insert. Small, so that an insert holds the database's one writer briefly: on SQLite chat turns
     * commit through the same writer, and one queued behind an audit insert waits for it (about 40 us per record
     * on this project's 2-core test machine, so under a millisecond for 20). A busy gateway writes many of them,
     * each between chat turns' writes.
     */
    static final int BATCH_SIZE = 20;

    public static AuditSettings from(AuditConfig config) {
        return new AuditSettings(config.enabled(), config.adminEvents(), config.storeContent(),
                config.compressResponses(), config.retentionDays(), config.usageRetentionDays(),
                Duration.ofMillis(config.flushIntervalMs()), config.queueCapacity(), BATCH_SIZE, config.clearOnStartup(),
                config.clearAdminOnStartup(), Duration.ofHours(1));
    }
}
