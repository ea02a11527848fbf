package dev.orbit.db;

import static dev.orbit.db.FieldType.BOOLEAN;
import static dev.orbit.db.FieldType.DOUBLE;
import static dev.orbit.db.FieldType.INSTANT;
import static dev.orbit.db.FieldType.LONG;
import static dev.orbit.db.FieldType.STRING;

/**
 * The audit collections ({@code orbit-api-next.md} §2, {@code orbit-schema.md}): the reference's
 * {@code audit_admin_logs} and {@code audit_logs} with its field names, and this project's {@code usage_rollups}.
 * The reference's MongoDB nests {@code ip_metadata} and {@code api_key}; its SQLite flattens them into the
 * {@code ip_*} and {@code api_key_*} columns, and so does this project on every backend (one field set, one
 * filter semantics), rebuilding the nested shapes only in HTTP replies.
 */
final class AuditSchema {
    static final String AUDIT_ADMIN_LOGS = "audit_admin_logs";
    static final String AUDIT_LOGS = "audit_logs";
    static final String USAGE_ROLLUPS = "usage_rollups";

    static final CollectionSpec AUDIT_ADMIN_LOGS_SPEC = CollectionSpec.builder(AUDIT_ADMIN_LOGS)
            .required("timestamp", INSTANT)
            .required("event_type", STRING)
            .required("action", STRING)
            .required("resource_type", STRING)
            .optional("resource_id", STRING)
            .required("actor_type", STRING)
            .optional("actor_id", STRING)
            .optional("actor_username", STRING)
            .required("method", STRING)
            .required("path", STRING)
            .required("status_code", LONG)
            .optional("success", BOOLEAN)
            .optional("ip", STRING)
            .optional("ip_type", STRING)
            .optional("ip_is_local", BOOLEAN)
            .optional("ip_source", STRING)
            .optional("ip_original_value", STRING)
            .optional("user_agent", STRING)
            .optional("error_message", STRING)
            // JSON text of the allow-listed body fields (never a secret).
            .optional("request_summary", STRING)
            // This project's addition: the X-Request-ID of the request, to join with the access log.
            .optional("request_id", STRING)
            .index(IndexSpec.on("idx_audit_admin_logs_timestamp", "timestamp"))
            .index(IndexSpec.on("idx_audit_admin_logs_event_time", "event_type", "timestamp"))
            .index(IndexSpec.on("idx_audit_admin_logs_actor_time", "actor_id", "timestamp"))
            .build();

    static final CollectionSpec AUDIT_LOGS_SPEC = CollectionSpec.builder(AUDIT_LOGS)
            .required("timestamp", INSTANT)
            // The question and answer: empty unless audit content is stored (privacy by default).
            .required("query", STRING)
            .required("response", STRING)
            .optional("response_compressed", BOOLEAN)
            .optional("provider", STRING)
            .optional("blocked", BOOLEAN)
            .optional("ip", STRING)
            .optional("ip_type", STRING)
            .optional("ip_is_local", BOOLEAN)
            .optional("ip_source", STRING)
            .optional("ip_original_value", STRING)
            .optional("api_key_value", STRING)
            .optional("api_key_timestamp", INSTANT)
            .optional("api_key_id", STRING)
            .optional("session_id", STRING)
            .optional("user_id", STRING)
            .optional("adapter_name", STRING)
            .optional("model", STRING)
            .optional("prompt_tokens", LONG)
            .optional("completion_tokens", LONG)
            .optional("total_tokens", LONG)
            .optional("reasoning_tokens", LONG)
            .optional("cached_prompt_tokens", LONG)
            .optional("cost_usd", DOUBLE)
            .optional("input_rate_per_1m", DOUBLE)
            .optional("output_rate_per_1m", DOUBLE)
            .optional("pricing_source", STRING)
            .optional("usage_unit", STRING)
            .optional("usage_quantity", DOUBLE)
            .optional("call_type", STRING)
            // This project's additions: SHA-256 of the key, how the call ended, how long it took, its request id.
            .optional("api_key_hash", STRING)
            .optional("outcome", STRING)
            .optional("latency_ms", LONG)
            .optional("request_id", STRING)
            .index(IndexSpec.on("idx_audit_logs_timestamp", "timestamp"))
            .index(IndexSpec.on("idx_audit_logs_key_time", "api_key_hash", "timestamp"))
            .index(IndexSpec.on("idx_audit_logs_session_time", "session_id", "timestamp"))
            .build();

    /**
     * Usage counters per day, and per hour ({@code hour} set), × key × adapter × provider × model × call type × user,
     * raised by an atomic upsert with {@code $inc}.
     * {@code rollup_key} joins the dimensions into one uniquely indexed field, so that of two processes inserting
     * the same new row one wins and the other's upsert then matches it (a compound unique index would need a
     * partial filter, which the in-process MongoDB server used by the tests ignores).
     */
    static final CollectionSpec USAGE_ROLLUPS_SPEC = CollectionSpec.builder(USAGE_ROLLUPS)
            .required("rollup_key", STRING)
            .required("day", INSTANT)
            // The hour of an hour row; absent on a day row.
            .optional("hour", INSTANT)
            .optional("api_key_hash", STRING)
            .optional("api_key_value", STRING)
            .optional("api_key_id", STRING)
            .optional("client_name", STRING)
            .optional("adapter_name", STRING)
            .optional("provider", STRING)
            .optional("model", STRING)
            .optional("call_type", STRING)
            .optional("user_id", STRING)
            .optional("requests", LONG)
            .optional("errors", LONG)
            .optional("prompt_tokens", LONG)
            .optional("completion_tokens", LONG)
            .optional("total_tokens", LONG)
            .optional("cost_usd", DOUBLE)
            .optional("unpriced_requests", LONG)
            // Calls whose token counts the provider did not report (estimated, or none as the call failed).
            .optional("unreported_requests", LONG)
            .optional("updated_at", INSTANT)
            .index(IndexSpec.unique("idx_usage_rollups_rollup_key", "rollup_key"))
            .index(IndexSpec.on("idx_usage_rollups_day", "day"))
            .build();

    private AuditSchema() {
    }
}
