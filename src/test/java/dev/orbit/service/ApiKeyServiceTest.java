package dev.orbit.service;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.API_KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.Updates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ApiKeyService} on one backend (a subclass per backend). */
abstract class ApiKeyServiceTest extends ServiceTestBase {
    PromptService prompts;
    ApiKeyService keys;

    @BeforeEach
    void createServices() {
        prompts = promptService(db());
        keys = apiKeyService(db(), prompts);
    }

    private static void assertInvalid(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(ServiceException.Unauthorized.class)
                .hasMessage("Invalid or missing API key");
    }

    private Document row(String id) {
        return db().findOne(API_KEYS, eq("_id", id)).orElseThrow();
    }

    // --- create ---------------------------------------------------------------------------------------------

    @Test
    void create_returns_the_prefixed_key_once_and_stores_only_its_hash_and_a_display_tail() {
        CreatedApiKey created = keys.create(ApiKeyRequest.of("web widget", "chat").withNotes("for the site"));
        String key = created.apiKey();
        assertThat(key).matches("orbit_[A-Za-z0-9]{32}");
        assertThat(created.record().maskedKey()).isEqualTo("***" + key.substring(key.length() - 4));
        assertThat(created.toString()).doesNotContain(key);

        Document stored = row(created.record().id());
        assertThat(stored.getString("api_key")).isEqualTo("sha256:" + Secrets.sha256Hex(key));
        assertThat(stored.getString("api_key_tail")).isEqualTo(key.substring(key.length() - 4));
        assertThat(stored.asMap().values()).noneMatch(v -> v.toString().contains(key.substring(6)));
        assertThat(created.record()).extracting(ApiKey::clientName, ApiKey::adapterName, ApiKey::notes, ApiKey::active)
                .containsExactly("web widget", "chat", "for the site", true);
        assertThat(created.record().createdAt()).isEqualTo(clock.instant());
    }

    @Test
    void created_keys_differ_and_use_the_configured_prefix() {
        ApiKeyService custom = new ApiKeyService(db(), new ApiKeySettings("acme-", Duration.ofSeconds(1), 100),
                ADAPTERS, prompts, clock);
        String a = custom.create(ApiKeyRequest.of("a", "chat")).apiKey();
        String b = custom.create(ApiKeyRequest.of("b", "chat")).apiKey();
        assertThat(a).startsWith("acme-").hasSize(37).isNotEqualTo(b);
    }

    @Test
    void create_refuses_an_unknown_adapter_with_400_missing_fields_with_422_and_an_unknown_prompt_with_404() {
        assertThatThrownBy(() -> keys.create(ApiKeyRequest.of("c", "nope")))
                .isInstanceOf(ServiceException.InvalidInput.class).hasMessage("Adapter 'nope' not found in configuration");
        assertThatThrownBy(() -> keys.create(ApiKeyRequest.of(" ", "chat")))
                .isInstanceOfSatisfying(ServiceException.Unprocessable.class, e -> assertThat(e.field()).isEqualTo("client_name"));
        assertThatThrownBy(() -> keys.create(ApiKeyRequest.of("c", null)))
                .isInstanceOfSatisfying(ServiceException.Unprocessable.class, e -> assertThat(e.field()).isEqualTo("adapter_name"));
        assertThatThrownBy(() -> keys.create(ApiKeyRequest.of("c", "chat").withSystemPromptId("missing")))
                .isInstanceOf(ServiceException.NotFound.class).hasMessage("Prompt not found");
        assertThat(db().count(API_KEYS, all())).isZero();
    }

    @Test
    void allowed_emails_are_trimmed_lowercased_and_deduplicated() {
        CreatedApiKey created = keys.create(ApiKeyRequest.of("c", "chat")
                .withAllowedEmails(List.of(" Ann@Example.COM ", "ann@example.com", "", "bob@x.org"))
                .withAllowedUserIds(List.of(" u1 ", "u1", "u2")));
        assertThat(created.record().allowedEmails()).containsExactly("ann@example.com", "bob@x.org");
        assertThat(created.record().allowedUserIds()).containsExactly("u1", "u2");
        assertThat(row(created.record().id()).getStringList("allowed_emails")).containsExactly("ann@example.com", "bob@x.org");
    }

    // --- validate -------------------------------------------------------------------------------------------

    @Test
    void allowed_emails_that_could_never_match_are_refused_with_422() {
        for (String bad : new String[] {"not an email", "ann", "@example.com", "ann@", "a@b@c", "ann\u0000@x.org",
                "ann\u00a0smith@x.org", "ann@x.org\u0085"}) {
            assertThatThrownBy(() -> keys.create(ApiKeyRequest.of("a", "chat").withAllowedEmails(List.of(bad))))
                    .as(bad).isInstanceOfSatisfying(ServiceException.Unprocessable.class,
                            e -> assertThat(e.field()).isEqualTo("allowed_emails"));
        }
        assertThat(db().count(API_KEYS, all())).isZero();
        assertThat(keys.create(ApiKeyRequest.of("a", "chat").withAllowedEmails(List.of("Ünï@bücher.de"))).record()
                .allowedEmails()).containsExactly("ünï@bücher.de");
    }

    @Test
    void an_active_key_validates_with_its_adapter_prompt_and_fingerprint() {
        Prompt prompt = prompts.create("support", "Be kind.", null);
        String key = keys.create(ApiKeyRequest.of("c", "chat").withSystemPromptId(prompt.id())).apiKey();
        ValidatedApiKey valid = keys.validate(key, CallerIdentity.NONE);
        assertThat(valid.adapter()).isEqualTo(new AdapterCatalog.Adapter("chat", true));
        assertThat(valid.systemPrompt()).isEqualTo(prompt);
        assertThat(valid.fingerprint().sha256()).isEqualTo(Secrets.sha256Hex(key));
        assertThat(valid.fingerprint().masked()).isEqualTo("..." + key.substring(key.length() - 6));
    }

    @Test
    void missing_unknown_deactivated_and_deleted_keys_and_disabled_or_unknown_adapters_are_refused_with_401() {
        assertInvalid(() -> keys.validate(null, CallerIdentity.NONE));
        assertInvalid(() -> keys.validate("", CallerIdentity.NONE));
        assertInvalid(() -> keys.validate("orbit_unknown", CallerIdentity.NONE));
        assertInvalid(() -> keys.validate("k".repeat(5000), CallerIdentity.NONE));

        String deactivated = keys.create(ApiKeyRequest.of("a", "chat")).apiKey();
        keys.deactivate(deactivated);
        assertInvalid(() -> keys.validate(deactivated, CallerIdentity.NONE));

        String deleted = keys.create(ApiKeyRequest.of("b", "chat")).apiKey();
        keys.delete(deleted);
        assertInvalid(() -> keys.validate(deleted, CallerIdentity.NONE));

        String disabled = keys.create(ApiKeyRequest.of("c", "off")).apiKey();
        assertInvalid(() -> keys.validate(disabled, CallerIdentity.NONE));

        String orphan = keys.create(ApiKeyRequest.of("d", "chat")).apiKey();
        db().updateOne(API_KEYS, eq("api_key", "sha256:" + Secrets.sha256Hex(orphan)), Updates.set("adapter_name", "removed"));
        clock.advance(JUST_OVER_CACHE_TTL);
        assertInvalid(() -> keys.validate(orphan, CallerIdentity.NONE));
    }

    @Test
    void a_record_id_or_a_stored_hash_does_not_work_as_a_key() {
        CreatedApiKey created = keys.create(ApiKeyRequest.of("a", "chat"));
        assertInvalid(() -> keys.validate(created.record().id(), CallerIdentity.NONE));
        String stored = row(created.record().id()).getString("api_key");
        assertInvalid(() -> keys.validate(stored, CallerIdentity.NONE));
        assertInvalid(() -> keys.validate(stored.substring("sha256:".length()), CallerIdentity.NONE));
    }

    @Test
    void a_key_with_allow_lists_serves_only_callers_they_name_and_refuses_callers_without_identity() {
        String byEmail = keys.create(ApiKeyRequest.of("a", "chat").withAllowedEmails(List.of("Ann@Example.com"))).apiKey();
        String byId = keys.create(ApiKeyRequest.of("b", "chat").withAllowedUserIds(List.of("u-1"))).apiKey();
        String open = keys.create(ApiKeyRequest.of("c", "chat")).apiKey();

        assertThat(keys.validate(byEmail, new CallerIdentity(null, " ANN@example.com"))).isNotNull();
        assertThat(keys.validate(byId, new CallerIdentity("u-1", null))).isNotNull();
        assertThat(keys.validate(open, CallerIdentity.NONE)).isNotNull();
        for (CallerIdentity stranger : List.of(CallerIdentity.NONE, new CallerIdentity("u-2", "eve@example.com"))) {
            assertThatThrownBy(() -> keys.validate(byEmail, stranger)).isInstanceOf(ServiceException.Forbidden.class);
            assertThatThrownBy(() -> keys.validate(byId, stranger)).isInstanceOf(ServiceException.Forbidden.class);
        }
        assertThatThrownBy(() -> keys.validate(byId, null)).isInstanceOf(ServiceException.Forbidden.class);
        // authenticate() (e.g. /health with a key) asks only whether the key is usable.
        assertThat(keys.authenticate(byId).key().clientName()).isEqualTo("b");
    }

    // --- legacy keys ------------------------------------------------------------------------------------------

    @Test
    void a_legacy_plaintext_key_is_found_works_and_is_converted_to_the_hashed_form_at_first_use() {
        String legacy = "orbit_LegacyPlaintextKey0000000000abcd";
        String id = db().insertOne(API_KEYS, Document.of("api_key", legacy, "client_name", "old client", "active", true,
                "created_at", Instant.parse("2024-05-01T00:00:00Z"), "adapter_name", "chat"));
        assertThat(keys.list(null, false, 100, 0)).singleElement()
                .satisfies(k -> assertThat(k.maskedKey()).isEqualTo("***abcd"));

        assertThat(keys.validate(legacy, CallerIdentity.NONE).key().id()).isEqualTo(id);
        Document converted = row(id);
        assertThat(converted.getString("api_key")).isEqualTo("sha256:" + Secrets.sha256Hex(legacy));
        assertThat(converted.getString("api_key_tail")).isEqualTo("abcd");

        clock.advance(JUST_OVER_CACHE_TTL);
        assertThat(keys.validate(legacy, CallerIdentity.NONE).key().id()).isEqualTo(id);
        assertThat(keys.status(legacy).exists()).isTrue();
        assertThat(keys.detail(legacy).maskedKey()).isEqualTo("***abcd");
    }

    @Test
    void a_legacy_plaintext_key_named_by_an_admin_is_converted_too() {
        String legacy = "plain-legacy-key-42";
        String id = db().insertOne(API_KEYS, Document.of("api_key", legacy, "client_name", "old", "active", true,
                "created_at", clock.instant(), "adapter_name", "chat"));
        keys.deactivate(legacy);
        Document row = row(id);
        assertThat(row.getBoolean("active")).isFalse();
        assertThat(row.getString("api_key")).startsWith("sha256:");
    }

    // --- admin operations ---------------------------------------------------------------------------------

    @Test
    void status_reports_existence_activity_and_the_prompt_link_and_never_fails_for_unknown_keys() {
        Prompt prompt = prompts.create("p", "text", null);
        CreatedApiKey created = keys.create(ApiKeyRequest.of("c", "chat").withSystemPromptId(prompt.id()));
        ApiKeyStatus status = keys.status(created.apiKey());
        assertThat(status).extracting(ApiKeyStatus::exists, ApiKeyStatus::active, ApiKeyStatus::adapterName,
                ApiKeyStatus::clientName).containsExactly(true, true, "chat", "c");
        assertThat(status.systemPrompt()).isEqualTo(new ApiKeyStatus.PromptLink(prompt.id(), true));
        assertThat(keys.status(created.record().id())).isEqualTo(status);

        db().deleteOne(dev.orbit.db.OrbitSchema.SYSTEM_PROMPTS, eq("_id", prompt.id())); // behind the service's back
        assertThat(keys.status(created.apiKey()).systemPrompt()).isEqualTo(new ApiKeyStatus.PromptLink(prompt.id(), false));
        assertThat(keys.status("orbit_nothing")).isEqualTo(ApiKeyStatus.MISSING);
        assertThat(keys.status(null).exists()).isFalse();
    }

    @Test
    void list_filters_by_adapter_and_activity_newest_first_with_masked_keys_and_prompt_names() {
        Prompt prompt = prompts.create("greeter", "Hi.", null);
        CreatedApiKey a = keys.create(ApiKeyRequest.of("a", "chat").withSystemPromptId(prompt.id()));
        clock.advance(Duration.ofSeconds(1));
        CreatedApiKey b = keys.create(ApiKeyRequest.of("b", "other"));
        clock.advance(Duration.ofSeconds(1));
        CreatedApiKey c = keys.create(ApiKeyRequest.of("c", "chat"));
        keys.deactivate(c.record().id());

        assertThat(clients(keys.list(null, false, 100, 0))).containsExactly("c", "b", "a");
        assertThat(clients(keys.list("chat", false, 100, 0))).containsExactly("c", "a");
        assertThat(clients(keys.list("chat", true, 100, 0))).containsExactly("a");
        assertThat(clients(keys.list(null, false, 1, 1))).containsExactly("b");
        ApiKey listed = keys.list("chat", true, 100, 0).getFirst();
        assertThat(listed.maskedKey()).isEqualTo(a.record().maskedKey()).startsWith("***").hasSize(7);
        assertThat(listed.systemPromptName()).isEqualTo("greeter");
        assertThat(keys.detail(a.apiKey())).isEqualTo(listed);
        assertThat(keys.detail(a.record().id())).isEqualTo(listed);
        assertThatThrownBy(() -> keys.detail("nothing")).isInstanceOf(ServiceException.NotFound.class)
                .hasMessage("API key not found");
    }

    @Test
    void rename_replaces_the_key_at_once_and_refuses_short_or_taken_keys() {
        CreatedApiKey a = keys.create(ApiKeyRequest.of("a", "chat"));
        CreatedApiKey b = keys.create(ApiKeyRequest.of("b", "chat"));
        keys.validate(a.apiKey(), CallerIdentity.NONE); // cached

        assertThatThrownBy(() -> keys.rename(a.apiKey(), "short")).isInstanceOf(ServiceException.Unprocessable.class);
        assertThatThrownBy(() -> keys.rename(a.apiKey(), "has a space")).isInstanceOf(ServiceException.Unprocessable.class);
        assertThatThrownBy(() -> keys.rename(a.apiKey(), b.apiKey())).isInstanceOf(ServiceException.Conflict.class);
        assertThatThrownBy(() -> keys.rename("orbit_missing", "new-Key-4hT9qW2zXc7Vb1Nm")).isInstanceOf(ServiceException.NotFound.class);

        assertThat(keys.rename(a.apiKey(), "renamed-Key-7fQ2mZ9xLw4Tb8Nc0042")).isEqualTo("***0042");
        assertInvalid(() -> keys.validate(a.apiKey(), CallerIdentity.NONE));
        assertThat(keys.validate("renamed-Key-7fQ2mZ9xLw4Tb8Nc0042", CallerIdentity.NONE).key().id()).isEqualTo(a.record().id());
        assertThat(row(a.record().id()).getString("api_key_tail")).isEqualTo("0042");
    }

    @Test
    void rename_requires_a_key_as_strong_as_128_random_bits() {
        CreatedApiKey a = keys.create(ApiKeyRequest.of("a", "chat"));
        String[] weak = {"short", "renamed-key-0042", "orbit_" + "Ab3dEf6hIj9kLm2nOp", "a".repeat(40),
                "abcab".repeat(8), "Ab3dEf6hIj9kLm2nOpQr5", // 21 mixed: 125 bits
                "ab3def6hij9klm2nop4qr5st", // 24 of lower case and digits: 124 bits
                "0123456789abcdef0123456789abcde", // 31 hex digits
                "01234567890123456789012345678901", // 32 decimal digits: 106 bits, not hex's 128
                "orbit_0123456789abcdef0123456789ABCDEF".substring(0, 6) + "Ab3dEf6hIj9kLm2nOp",
                "Ab3dEf6hIj9kLm2nOpQr5s t", "Ab3dEf6hIj9kLm2nOpQr5sé", "sha256:" + "0".repeat(64), "x".repeat(300)};
        for (String key : weak) {
            assertThatThrownBy(() -> keys.rename(a.apiKey(), key)).as(key)
                    .isInstanceOfSatisfying(ServiceException.Unprocessable.class,
                            e -> assertThat(e.getMessage()).contains("128 random bits"));
        }
        String current = a.apiKey();
        for (String strong : new String[] {"Ab3dEf6hIj9kLm2nOpQr5s", "ab3def6hij9klm2nop4qr5stu",
                "0123456789abcdef0123456789abcdef", "orbit_" + "Zx9Yw8Vu7Ts6Rq5Po4Nm3L", "my-Own_key-4hT9qW2zXc7Vb1Nm"}) {
            keys.rename(current, strong);
            assertThat(keys.validate(strong, CallerIdentity.NONE).key().id()).isEqualTo(a.record().id());
            current = strong;
        }
    }

    @Test
    void invalid_keys_from_one_address_are_refused_with_429_after_twenty_without_touching_other_addresses() {
        String key = keys.create(ApiKeyRequest.of("a", "chat")).apiKey();
        for (int i = 0; i < 21; i++) {
            String guess = "orbit_guess" + i;
            assertInvalid(() -> keys.authenticate(guess, "203.0.113.9"));
        }
        // Blocked now: no lookup at all, even a right key from there waits (Retry-After).
        assertThatThrownBy(() -> keys.authenticate("orbit_guess99", "203.0.113.9"))
                .isInstanceOfSatisfying(ServiceException.TooManyRequests.class,
                        e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));
        assertThatThrownBy(() -> keys.validate(key, CallerIdentity.NONE, "203.0.113.9"))
                .isInstanceOf(ServiceException.TooManyRequests.class);
        // The legitimate client elsewhere is not affected, and its own mistakes count only against itself.
        assertThat(keys.validate(key, CallerIdentity.NONE, "10.0.0.1").key().active()).isTrue();
        assertInvalid(() -> keys.authenticate("orbit_typo", "10.0.0.1"));
        assertThat(keys.authenticate(key, "10.0.0.1")).isNotNull();

        clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(keys.authenticate(key, "203.0.113.9")).isNotNull();
        assertInvalid(() -> keys.authenticate("orbit_guess100", "203.0.113.9"));
        assertThatThrownBy(() -> keys.authenticate(key, "203.0.113.9"))
                .isInstanceOfSatisfying(ServiceException.TooManyRequests.class,
                        e -> assertThat(e.retryAfterSeconds()).isEqualTo(2));
    }

    @Test
    void invalid_keys_from_addresses_of_one_ipv6_network_count_as_one_address() {
        String key = keys.create(ApiKeyRequest.of("a", "chat")).apiKey();
        for (int i = 0; i < 21; i++) {
            String address = "2001:db8:0:7:" + Integer.toHexString(i + 1) + "::1";
            assertInvalid(() -> keys.authenticate("orbit_guess", address));
        }
        assertThatThrownBy(() -> keys.authenticate(key, "[2001:0db8:0000:0007:aaaa:0:0:1]"))
                .isInstanceOf(ServiceException.TooManyRequests.class);
        assertThat(keys.authenticate(key, "2001:db8:0:8::1")).isNotNull();
        assertThat(keys.authenticate(key, "192.0.2.1")).isNotNull();
    }

    @Test
    void rename_keeps_the_keys_chat_sessions_its_own() {
        ChatHistoryService history = chatHistoryService(db(), ChatHistorySettings.defaults());
        CreatedApiKey a = keys.create(ApiKeyRequest.of("a", "chat"));
        history.addTurn("s-1", ApiKeyFingerprint.of(a.apiKey()), null, NewMessage.user("hi"), NewMessage.assistant("hello"), null);
        keys.rename(a.record().id(), "renamed-Key-7fQ2mZ9xLw4Tb8Nc0042");
        ApiKeyFingerprint renamed = ApiKeyFingerprint.of("renamed-Key-7fQ2mZ9xLw4Tb8Nc0042");
        assertThat(history.latest("s-1", renamed, 10)).hasSize(2);
        assertThatThrownBy(() -> history.latest("s-1", ApiKeyFingerprint.of(a.apiKey()), 10))
                .isInstanceOf(ServiceException.Forbidden.class);
    }

    @Test
    void update_sets_the_given_fields_and_refuses_unknown_keys_prompts_and_adapters() {
        Prompt prompt = prompts.create("p", "text", null);
        CreatedApiKey created = keys.create(ApiKeyRequest.of("a", "chat").withNotes("keep me")
                .withAllowedEmails(List.of("x@y.z")));
        String id = created.record().id();

        assertThatThrownBy(() -> keys.update("missing", ApiKeyRequest.of("a", "chat")))
                .isInstanceOf(ServiceException.NotFound.class);
        assertThatThrownBy(() -> keys.update(id, ApiKeyRequest.of("a", "nope")))
                .isInstanceOf(ServiceException.InvalidInput.class);
        assertThatThrownBy(() -> keys.update(id, ApiKeyRequest.of("a", "chat").withSystemPromptId("missing")))
                .isInstanceOf(ServiceException.NotFound.class).hasMessage("Prompt not found");

        keys.update(created.apiKey(), ApiKeyRequest.of("renamed client", "other").withSystemPromptId(prompt.id())
                .withAllowedEmails(List.of()));
        ApiKey updated = keys.detail(id);
        assertThat(updated).extracting(ApiKey::clientName, ApiKey::adapterName, ApiKey::notes, ApiKey::systemPromptId)
                .containsExactly("renamed client", "other", "keep me", prompt.id());
        assertThat(updated.allowedEmails()).isEmpty();
        assertThat(keys.validate(created.apiKey(), CallerIdentity.NONE).adapter().name()).isEqualTo("other");
    }

    @Test
    void associating_a_prompt_needs_both_to_exist() {
        Prompt prompt = prompts.create("p", "text", null);
        CreatedApiKey created = keys.create(ApiKeyRequest.of("a", "chat"));
        assertThatThrownBy(() -> keys.associatePrompt("missing", prompt.id())).isInstanceOf(ServiceException.NotFound.class)
                .hasMessage("API key not found");
        assertThatThrownBy(() -> keys.associatePrompt(created.apiKey(), "missing"))
                .isInstanceOf(ServiceException.NotFound.class).hasMessage("Prompt not found");
        keys.validate(created.apiKey(), CallerIdentity.NONE); // cached without a prompt
        keys.associatePrompt(created.apiKey(), prompt.id());
        assertThat(keys.validate(created.apiKey(), CallerIdentity.NONE).systemPrompt()).isEqualTo(prompt);
    }

    @Test
    void deactivate_and_delete_of_unknown_keys_are_404() {
        assertThatThrownBy(() -> keys.deactivate("missing")).isInstanceOf(ServiceException.NotFound.class);
        assertThatThrownBy(() -> keys.delete("missing")).isInstanceOf(ServiceException.NotFound.class);
        assertThatThrownBy(() -> keys.delete(null)).isInstanceOf(ServiceException.NotFound.class);
    }

    // --- the cache ----------------------------------------------------------------------------------------

    @Test
    void validation_is_served_from_memory_for_at_most_the_ttl() {
        String key = keys.create(ApiKeyRequest.of("a", "chat")).apiKey();
        keys.validate(key, CallerIdentity.NONE);
        // A change no service of this process made (another process, an operator's SQL) ...
        db().updateOne(API_KEYS, all(), Updates.set("active", false));
        assertThat(keys.validate(key, CallerIdentity.NONE)).as("served from the cache").isNotNull();
        clock.advance(JUST_OVER_CACHE_TTL);
        assertInvalid(() -> keys.validate(key, CallerIdentity.NONE));
    }

    @Test
    void deactivate_delete_rename_and_update_take_effect_at_once_here_and_within_two_seconds_in_another_process() {
        ApiKeyService elsewhere = apiKeyService(anotherHandle(), promptService(db()));
        List<Consumer<String>> changes = List.of(keys::deactivate, keys::delete,
                k -> keys.rename(k, "renamed-" + k.substring(6)),
                k -> keys.update(k, ApiKeyRequest.of("a", "off")));
        for (Consumer<String> change : changes) {
            String key = keys.create(ApiKeyRequest.of("a", "chat")).apiKey();
            keys.validate(key, CallerIdentity.NONE);
            elsewhere.validate(key, CallerIdentity.NONE);

            change.accept(key);
            assertInvalid(() -> keys.validate(key, CallerIdentity.NONE));
            assertThat(elsewhere.validate(key, CallerIdentity.NONE)).as("stale within the TTL").isNotNull();
            clock.advance(JUST_OVER_CACHE_TTL);
            assertInvalid(() -> elsewhere.validate(key, CallerIdentity.NONE));
        }
    }

    @Test
    void an_unknown_key_is_remembered_for_the_ttl_but_a_key_created_here_works_at_once() {
        assertInvalid(() -> keys.validate("orbit_guess1", CallerIdentity.NONE));
        // Appears without this process knowing (as a reference process would insert it): the miss is cached.
        db().insertOne(API_KEYS, Document.of("api_key", "orbit_guess1", "client_name", "c", "active", true,
                "created_at", clock.instant(), "adapter_name", "chat"));
        assertInvalid(() -> keys.validate("orbit_guess1", CallerIdentity.NONE));
        clock.advance(JUST_OVER_CACHE_TTL);
        assertThat(keys.validate("orbit_guess1", CallerIdentity.NONE)).isNotNull();

        assertInvalid(() -> keys.validate("renamed-Guess-4hT9qW2zXc7Vb1Nm", CallerIdentity.NONE));
        keys.rename("orbit_guess1", "renamed-Guess-4hT9qW2zXc7Vb1Nm");
        assertThat(keys.validate("renamed-Guess-4hT9qW2zXc7Vb1Nm", CallerIdentity.NONE)).isNotNull();
    }

    @Test
    void a_database_failure_during_validation_propagates() {
        DatabaseService other = anotherHandle();
        ApiKeyService service = apiKeyService(other, promptService(other));
        other.close();
        assertThatThrownBy(() -> service.validate("orbit_anything", CallerIdentity.NONE))
                .isInstanceOf(DatabaseException.class);
    }

    private static List<String> clients(List<ApiKey> list) {
        return list.stream().map(ApiKey::clientName).toList();
    }
}
