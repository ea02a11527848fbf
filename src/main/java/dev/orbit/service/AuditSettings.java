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
    public static AuditSettings from(AuditConfig config) {
        return new AuditSettings(config.enabled(), config.adminEvents(), config.storeContent(),
                config.compressResponses(), config.retentionDays(), config.usageRetentionDays(),
                Duration.ofMillis(config.flushIntervalMs()), config.queueCapacity(), 500, config.clearOnStartup(),
                config.clearAdminOnStartup(), Duration.ofHours(1));
    }
}
