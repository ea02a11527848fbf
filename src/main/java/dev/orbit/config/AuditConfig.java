package dev.orbit.config;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit and usage settings: {@code internal_services.audit} (the reference's keys, plus
 * {@code store_content}, {@code retention_days} and the writer's batching) and {@code usage} (rollup retention
 * and the price table).
 *
 * @param enabled           the conversation audit ({@code audit_logs}) and usage rollups; shipped off, as the reference
 * @param adminEvents       the admin audit ({@code audit_admin_logs}); needs {@code enabled}
 * @param storeContent      whether question and answer texts are kept (off: privacy is the default)
 * @param compressResponses whether stored answers are gzip-compressed (base64 text)
 * @param retentionDays     days audit records are kept; 0 keeps them forever
 * @param flushIntervalMs   how often the conversation writer writes its queue (what a crash may lose)
 * @param queueCapacity     conversation records waiting at most; beyond it records are dropped and counted
 * @param clearOnStartup    empty {@code audit_logs} at start-up (the reference's switch)
 * @param clearAdminOnStartup empty {@code audit_admin_logs} at start-up
 * @param usageRetentionDays days usage rollups are kept; 0 keeps them forever
 * @param prices            per model: US dollars per million input and output tokens
 * @param pricesUpdated     when the prices were last checked ({@code usage.pricing_updated}), null when not said
 */
public record AuditConfig(boolean enabled, boolean adminEvents, boolean storeContent, boolean compressResponses,
                          int retentionDays, int flushIntervalMs, int queueCapacity, boolean clearOnStartup,
                          boolean clearAdminOnStartup, int usageRetentionDays, Map<String, ModelPrice> prices,
                          LocalDate pricesUpdated) {
    public AuditConfig {
        prices = Map.copyOf(prices);
    }

    /** Dollars per million tokens. */
    public record ModelPrice(double inputPer1m, double outputPer1m) {
    }

    /** Off, as shipped. */
    public static AuditConfig disabled() {
        return read(ConfigNode.root("defaults", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
    }

    /** Reads and checks {@code internal_services.audit} and {@code usage} of the root. */
    public static AuditConfig read(ConfigNode root) {
        ConfigNode audit = root.section("internal_services").section("audit");
        ConfigNode admin = audit.section("admin_events");
        ConfigNode usage = root.section("usage");
        String backend = audit.string("storage_backend", "database");
        if (!backend.equals("database")) {
            throw audit.error("storage_backend", "only \"database\" (the main backend) is supported, got '"
                    + backend + "'");
        }
        // The collection names are fixed: every backend uses the reference's default names.
        checkName(audit, "collection_name", "audit_logs");
        checkName(admin, "collection_name", "audit_admin_logs");
        boolean enabled = audit.bool("enabled", false);
        boolean adminEnabled = admin.bool("enabled", true); // read even when off, so the key counts as known
        return new AuditConfig(enabled,
                enabled && adminEnabled,
                audit.bool("store_content", false),
                audit.bool("compress_responses", false),
                audit.integer("retention_days", 90, 0, 36_500),
                audit.integer("flush_interval_ms", 1000, 10, 60_000),
                audit.integer("queue_capacity", 10_000, 1, 1_000_000),
                audit.bool("clear_on_startup", false),
                admin.bool("clear_on_startup", false),
                usage.integer("retention_days", 400, 0, 36_500),
                prices(usage.section("pricing")),
                date(usage, "pricing_updated"));
    }

    private static void checkName(ConfigNode node, String key, String fixed) {
        String name = node.string(key, fixed);
        if (!name.equals(fixed)) {
            throw node.error(key, "must be '" + fixed + "' (audit collection names are not configurable here)");
        }
    }

    private static Map<String, ModelPrice> prices(ConfigNode pricing) {
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        for (String model : pricing.keys()) {
            ConfigNode price = pricing.section(model);
            prices.put(model, new ModelPrice(dollars(price, "input_per_1m"), dollars(price, "output_per_1m")));
        }
        return prices;
    }

    private static LocalDate date(ConfigNode node, String key) {
        String text = node.string(key, null);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw node.error(key, "expected a date such as 2026-11-30, got '" + text + "'");
        }
    }

    private static double dollars(ConfigNode price, String key) {
        String text = price.requiredString(key);
        try {
            double value = Double.parseDouble(text.strip());
            if (value >= 0 && Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw price.error(key, "expected a number of US dollars >= 0, got '" + text + "'");
    }
}
