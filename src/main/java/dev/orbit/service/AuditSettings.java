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
     * Records per insert. Small enough that a batch holds SQLite's one writer only briefly (chat turns commit
     * through the same writer), large enough that a busy gateway writes a few inserts per second.
     */
    static final int BATCH_SIZE = 100;

    public static AuditSettings from(AuditConfig config) {
        return new AuditSettings(config.enabled(), config.adminEvents(), config.storeContent(),
                config.compressResponses(), config.retentionDays(), config.usageRetentionDays(),
                Duration.ofMillis(config.flushIntervalMs()), config.queueCapacity(), BATCH_SIZE, config.clearOnStartup(),
                config.clearAdminOnStartup(), Duration.ofHours(1));
    }
}
