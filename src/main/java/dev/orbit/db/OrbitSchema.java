package dev.orbit.db;

import static dev.orbit.db.FieldType.BOOLEAN;
import static dev.orbit.db.FieldType.DOUBLE;
import static dev.orbit.db.FieldType.INSTANT;
import static dev.orbit.db.FieldType.LIST;
import static dev.orbit.db.FieldType.LONG;
import static dev.orbit.db.FieldType.MAP;
import static dev.orbit.db.FieldType.STRING;

import java.time.Duration;

/**
 * ORBIT's collections, with the names, fields and indexes of the reference ORBIT's stored data
 * ({@code shared/reference/orbit-schema.md}), so its databases open unchanged.
 */
public final class OrbitSchema {
    public static final String USERS = "users";
    public static final String SESSIONS = "sessions";
    public static final String API_KEYS = "api_keys";
    public static final String SYSTEM_PROMPTS = "system_prompts";
    public static final String CHAT_HISTORY = "chat_history";
    /** One row per chat session that has an owner: claimed by the first API key that writes to it. */
    public static final String CHAT_SESSIONS = "chat_sessions";
    /** Thumbs up or down, and a comment, on an assistant message (the reference's table). */
    public static final String FEEDBACK = "feedback";
    /** Follow-up threads branched from an assistant message into a session of their own (the reference's table). */
    public static final String CONVERSATION_THREADS = "conversation_threads";
    /** Rules refusing logins of users whose username, email or id matches a pattern (the reference's table). */
    public static final String USER_BLACKLIST = "user_blacklist";
    /** Gateway-wide switches, one document each; {@code server_paused} pauses chat (the reference's table). */
    public static final String SYSTEM_STATE = "system_state";
    public static final String AUDIT_ADMIN_LOGS = AuditSchema.AUDIT_ADMIN_LOGS;
    public static final String AUDIT_LOGS = AuditSchema.AUDIT_LOGS;
    public static final String USAGE_ROLLUPS = AuditSchema.USAGE_ROLLUPS;
    /** This project's addition: the request counters of quotas and rate limits, shared by every gateway. */
    public static final String RATE_COUNTERS = "rate_counters";

    public static final CollectionSpec USERS_SPEC = CollectionSpec.builder(USERS)
            .required("username", STRING)
            .required("password", STRING)
            .required("role", STRING)
            .optional("roles", LIST)
            .required("active", BOOLEAN)
            .required("created_at", INSTANT)
            .optional("last_login", INSTANT)
            .optional("provider", STRING)
            .optional("external_id", STRING)
            .optional("email", STRING)
            // This project's addition: raised by every change that must end the user's sessions (password
            // reset or change, deactivation); a session is valid only while it carries the user's current
            // value. Missing (the reference's rows) counts as 0.
            .optional("credentials_version", LONG)
            // This project's addition: the username case-folded, unique, so that "Alice" and "alice" cannot both
            // be accounts (set on every account made here; the reference's rows lack it and are checked by name).
            .optional("username_key", STRING)
            .index(IndexSpec.unique("idx_users_username", "username"))
            .index(IndexSpec.unique("idx_users_username_key", "username_key"))
            .build();

    public static final CollectionSpec SESSIONS_SPEC = CollectionSpec.builder(SESSIONS)
            .required("token", STRING)
            .required("user_id", STRING)
            .required("username", STRING)
            .required("expires", INSTANT)
            .required("created_at", INSTANT)
            // The user's credentials_version when the session was opened (missing: 0).
            .optional("credentials_version", LONG)
            .index(IndexSpec.unique("idx_sessions_token", "token"))
            .index(IndexSpec.ttl("idx_sessions_expires", "expires", Duration.ZERO))
            .build();

    public static final CollectionSpec API_KEYS_SPEC = CollectionSpec.builder(API_KEYS)
            .required("api_key", STRING)
            .required("client_name", STRING)
            .optional("notes", STRING)
            .required("active", BOOLEAN)
            .required("created_at", INSTANT)
            .optional("adapter_name", STRING)
            .optional("system_prompt_id", STRING)
            .optional("quota_daily_limit", LONG)
            .optional("quota_monthly_limit", LONG)
            .optional("quota_throttle_enabled", BOOLEAN)
            .optional("quota_throttle_priority", LONG)
            // This project's budgets: tokens per UTC day and month, and dollars per month.
            .optional("quota_daily_token_limit", LONG)
            .optional("quota_monthly_token_limit", LONG)
            .optional("quota_monthly_cost_limit", DOUBLE)
            .optional("allowed_user_ids", LIST)
            .optional("allowed_emails", LIST)
            // The last characters of the key, for listings: the key itself is stored only as a hash.
            .optional("api_key_tail", STRING)
            .index(IndexSpec.unique("idx_api_keys_api_key", "api_key"))
            .build();

    public static final CollectionSpec SYSTEM_PROMPTS_SPEC = CollectionSpec.builder(SYSTEM_PROMPTS)
            .required("name", STRING)
            .required("prompt", STRING)
            .required("version", STRING)
            .required("created_at", INSTANT)
            .required("updated_at", INSTANT)
            .index(IndexSpec.unique("idx_system_prompts_name", "name"))
            .build();

    public static final CollectionSpec CHAT_HISTORY_SPEC = CollectionSpec.builder(CHAT_HISTORY)
            .required("session_id", STRING)
            .required("role", STRING)
            .required("content", STRING)
            .required("timestamp", INSTANT)
            .optional("user_id", STRING)
            .optional("api_key", STRING)
            .optional("api_key_hash", STRING)
            .optional("metadata", MAP, "metadata_json")
            .optional("message_hash", STRING)
            .optional("token_count", LONG)
            // This project's additions: the message's place in its session (1, 2, ...), so that order is commit
            // order across processes, unique within the session so that of two writers taking one place exactly one
            // succeeds, and SHA-256 of (session, place), the form of that uniqueness MongoDB keeps (see the indexes
            // below). Reference rows lack both.
            .optional("sequence", LONG)
            .optional("sequence_key", STRING)
            // Every index is a page or more that each stored message dirties, so only those a query needs: a
            // session's reads (order, idempotent replays, counts, clearing, the foreign-owner check) go through the
            // session's order index, retention through timestamp. Nothing reads by user_id, api_key (masked) or time
            // within a session, so the reference's indexes on them are retired.
            .index(IndexSpec.on("idx_chat_history_timestamp", "timestamp"))
            // SQL backends: one index per session gives both the order every history read sorts by and the place a
            // writer takes (unique). Rows lacking a sequence, the reference's, are NULL there and never collide;
            // they share that one "place", so a read that reaches them sorts all of the session's reference rows by
            // timestamp and _id (ORBIT's own rows each have a place of their own and cost no sort). It replaced
            // separate order and place indexes, whose entries (with SHA-256 keys, timestamps and ids) made a turn
            // write 50 KB of pages instead of 12.
            .index(IndexSpec.unique("idx_chat_history_session_sequence", "session_id", "sequence").sqlOnly())
            // Idempotency keys: a message stored without one has its place's key as message_hash (sequence_key,
            // SHA-256 of session and sequence: ChatHistoryService writes both), so it is unique by the index above
            // already, and only the others take an entry here. The lookup of a key's turn states the condition
            // (Filters.differs) so that it reads through this index.
            .index(IndexSpec.unique("idx_chat_history_session_idempotency", "session_id", "message_hash")
                    .exceptWhereEqual("message_hash", "sequence_key").sqlOnly())
            // MongoDB: the place is unique by sequence_key alone (a compound unique index there needs a partial
            // filter, which the in-process server of the tests ignores, and reference rows lack the sequence), so
            // the order has an index of its own, and message_hash a full one (partial filters cannot compare two
            // fields).
            .index(IndexSpec.unique("idx_chat_history_session_sequence_key", "sequence_key").mongoDbOnly())
            .index(IndexSpec.on("idx_chat_history_session_order", "session_id", "sequence", "timestamp", "_id")
                    .mongoDbOnly())
            .index(IndexSpec.unique("idx_chat_history_session_message_hash", "session_id", "message_hash")
                    .mongoDbOnly())
            .retiredIndexes("idx_chat_history_session_time", "idx_chat_history_user_time", "idx_chat_history_api_key",
                    "idx_chat_history_session_key_hash", "idx_chat_history_sequence_key")
            .build();

    /**
     * This project's addition: the owner of each chat session (SHA-256 of the API key), claimed by inserting
     * the row, so that of two keys writing first to a new session exactly one wins on every backend, without
     * multi-document transactions. Also what a user's session listing reads.
     */
    public static final CollectionSpec CHAT_SESSIONS_SPEC = CollectionSpec.builder(CHAT_SESSIONS)
            .required("session_id", STRING)
            .required("api_key_hash", STRING)
            .optional("user_id", STRING)
            .required("created_at", INSTANT)
            .required("last_activity", INSTANT)
            .index(IndexSpec.unique("idx_chat_sessions_session_id", "session_id"))
            // A user's sessions by activity; sessions without a user (most, where clients send no user id) have
            // no entry, so touching their activity moves nothing here.
            .index(IndexSpec.on("idx_chat_sessions_named_user_activity", "user_id", "last_activity")
                    .whenPresent("user_id"))
            // All sessions by activity (the admin listing, retention's idle sessions).
            .index(IndexSpec.on("idx_chat_sessions_last_activity", "last_activity"))
            .retiredIndexes("idx_chat_sessions_user_activity")
            .build();

    /** One vote per message and session; removing a vote deletes its row. */
    public static final CollectionSpec FEEDBACK_SPEC = CollectionSpec.builder(FEEDBACK)
            .required("message_id", STRING)
            .required("session_id", STRING)
            .optional("user_id", STRING)
            .required("feedback_type", STRING)
            .optional("adapter_name", STRING)
            .optional("comment", STRING)
            .required("created_at", INSTANT)
            .required("updated_at", INSTANT)
            .index(IndexSpec.unique("idx_feedback_message_session", "message_id", "session_id"))
            .index(IndexSpec.on("idx_feedback_session", "session_id"))
            .index(IndexSpec.on("idx_feedback_type", "feedback_type"))
            .index(IndexSpec.on("idx_feedback_adapter", "adapter_name"))
            .build();

    /** Threads expire at {@code expires_at} (the reference's plain index there is a TTL index here). */
    public static final CollectionSpec CONVERSATION_THREADS_SPEC = CollectionSpec.builder(CONVERSATION_THREADS)
            .required("parent_message_id", STRING)
            .required("parent_session_id", STRING)
            .required("thread_session_id", STRING)
            .required("adapter_name", STRING)
            .required("query_context", STRING)
            .required("dataset_key", STRING)
            .required("created_at", INSTANT)
            .required("expires_at", INSTANT)
            .optional("metadata", MAP, "metadata_json")
            .optional("owner_api_key_hash", STRING)
            // This project's addition: SHA-256 of (parent session, parent message, owner key hash), unique, so
            // that of two gateways branching one message for one key at once exactly one stores a thread (one
            // field, as chat_history.sequence_key; rows made before it, and the reference's, lack it).
            .optional("parent_owner_key", STRING)
            .index(IndexSpec.on("idx_conversation_threads_parent_message", "parent_message_id"))
            .index(IndexSpec.on("idx_conversation_threads_parent_session", "parent_session_id"))
            .index(IndexSpec.on("idx_conversation_threads_thread_session", "thread_session_id"))
            .index(IndexSpec.ttl("idx_conversation_threads_expires_at", "expires_at", Duration.ZERO))
            .index(IndexSpec.on("idx_conversation_threads_owner", "owner_api_key_hash"))
            .index(IndexSpec.unique("idx_conversation_threads_parent_owner_key", "parent_owner_key"))
            .build();

    /**
     * One counter per (subject, window kind, window start): {@code counter_key} joins the three into one uniquely
     * indexed field, so that of two gateways creating the same new window one inserts and the other's upsert then
     * matches it. Raised only by a conditional {@code $inc} whose filter holds the limit, so that every gateway on the
     * database counts against one limit; a window's row expires (TTL) at {@code expires_at}, shortly after it ends.
     * The login and invalid-key throttles keep their failure counts here too ({@code window} "failures").
     */
    public static final CollectionSpec RATE_COUNTERS_SPEC = CollectionSpec.builder(RATE_COUNTERS)
            .required("counter_key", STRING)
            .required("subject", STRING)
            .required("window", STRING)
            .required("window_start", INSTANT)
            .required("count", LONG)
            .optional("updated_at", INSTANT)
            // Failure counters (the login and invalid-key throttles): until when the subject is refused.
            .optional("blocked_until", INSTANT)
            .required("expires_at", INSTANT)
            .index(IndexSpec.unique("idx_rate_counters_counter_key", "counter_key"))
            .index(IndexSpec.on("idx_rate_counters_subject_window", "subject", "window", "window_start"))
            .index(IndexSpec.ttl("idx_rate_counters_expires_at", "expires_at", Duration.ZERO))
            .build();

    /** One rule per entry type and pattern (stored trimmed and lowercased); listed newest first. */
    public static final CollectionSpec USER_BLACKLIST_SPEC = CollectionSpec.builder(USER_BLACKLIST)
            .required("pattern", STRING)
            .required("entry_type", STRING)
            .optional("reason", STRING)
            .optional("created_by", STRING)
            .required("created_at", INSTANT)
            // This project's addition: when the rule was last edited.
            .optional("updated_at", INSTANT)
            .index(IndexSpec.unique("idx_user_blacklist_entry_type_pattern", "entry_type", "pattern"))
            .index(IndexSpec.on("idx_user_blacklist_created_at", "created_at"))
            .build();

    /** Documents keyed by the switch's name ({@code _id: "server_paused"}), as the reference keeps them. */
    public static final CollectionSpec SYSTEM_STATE_SPEC = CollectionSpec.builder(SYSTEM_STATE)
            .required("value", BOOLEAN)
            // This project's additions: who changed the switch last, and when.
            .optional("updated_at", INSTANT)
            .optional("updated_by", STRING)
            .build();

    /** Every ORBIT collection. */
    public static final Schema SCHEMA = Schema.of(USERS_SPEC, SESSIONS_SPEC, API_KEYS_SPEC, SYSTEM_PROMPTS_SPEC,
            CHAT_HISTORY_SPEC, CHAT_SESSIONS_SPEC, FEEDBACK_SPEC, CONVERSATION_THREADS_SPEC, USER_BLACKLIST_SPEC,
            SYSTEM_STATE_SPEC, AuditSchema.AUDIT_ADMIN_LOGS_SPEC, AuditSchema.AUDIT_LOGS_SPEC, AuditSchema.USAGE_ROLLUPS_SPEC,
            RATE_COUNTERS_SPEC);

    private OrbitSchema() {
    }
}
