package dev.orbit.http;

import static dev.orbit.db.Filters.all;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuditRoutesTest extends GatewayTestBase {
    static final String AUDIT_ON = """
            internal_services: {audit: {enabled: true, flush_interval_ms: 20}}
            usage: {pricing: {mock-model: {input_per_1m: 1000, output_per_1m: 2000}}, pricing_updated: '2020-01-01'}
            """;
    private final FakeProvider provider = new FakeProvider();

    @AfterEach
    void stopProvider() {
        provider.close();
    }

    private List<Document> adminRecords() {
        return orbit().gateway().database().findMany(OrbitSchema.AUDIT_ADMIN_LOGS, all());
    }

    private Document only(String eventType) {
        List<Document> found = adminRecords().stream().filter(d -> d.getString("event_type").equals(eventType)).toList();
        assertThat(found).as(eventType).hasSize(1);
        return found.getFirst();
    }

    private static Map<String, Object> ask(String text) {
        return Map.of("messages", List.of(Map.of("role", "user", "content", text)));
    }

    @Test
    void everyAdminWriteIsRecordedAtOnceWithItsActorAndNoSecretIsStored() {
        Orbit orbit = orbit(AUDIT_ON);
        String admin = orbit.adminToken();
        Reply registered = orbit.post("/auth/register").bearer(admin).json(Map.of("username", "dora",
                "password", "Dora-Password-1", "roles", List.of("user"))).send();
        assertThat(registered.status()).isEqualTo(200);
        String doraId = registered.json().get("id").textValue();
        assertThat(orbit.post("/auth/login").json(Map.of("username", "dora", "password", "Wrong-Guess-9")).send()
                .status()).isEqualTo(401);
        String dora = orbit.login("dora", "Dora-Password-1");
        assertThat(orbit.post("/auth/change-password").bearer(dora).json(Map.of("current_password", "Dora-Password-1",
                "new_password", "Dora-Password-2")).send().status()).isEqualTo(200);
        assertThat(orbit.post("/auth/reset-password").bearer(admin).json(Map.of("user_id", doraId,
                "new_password", "Dora-Password-3")).send().status()).isEqualTo(200);
        String key = orbit.createKey(Orbit.ADAPTER);
        assertThat(orbit.patch("/admin/api-keys/" + key + "/rename").bearer(admin)
                .json(Map.of("new_api_key", "orbit_Rn4mEdS3cr3tK3yAbCdEfGh12")).send().status()).isEqualTo(200);
        Reply deleted = orbit.delete("/admin/api-keys/orbit_Rn4mEdS3cr3tK3yAbCdEfGh12").bearer(admin)
                .header("User-Agent", "orbit-cli/1").send();
        assertThat(deleted.status()).isEqualTo(200);
        // refused: no credentials at all
        assertThat(orbit.post("/admin/prompts").json(Map.of("name", "p", "prompt", "x")).send().status())
                .isEqualTo(401);

        // a route that does not exist: recorded all the same, with its outcome
        assertThat(orbit.post("/admin/no-such-route").bearer(admin).json(Map.of()).send().status()).isEqualTo(404);

        // Written before each reply: no waiting here.
        Document delete = only("admin.api_key.delete");
        assertThat(delete.getString("actor_type")).isEqualTo("user");
        assertThat(delete.getString("actor_username")).isEqualTo("admin");
        assertThat(delete.getString("resource_id")).isEqualTo("***Gh12");
        assertThat(delete.getString("path")).isEqualTo("/admin/api-keys/***Gh12");
        assertThat(delete.getLong("status_code")).isEqualTo(200L);
        assertThat(delete.getString("user_agent")).isEqualTo("orbit-cli/1");
        assertThat(delete.getString("request_id")).isEqualTo(deleted.headers().firstValue("X-Request-ID").orElseThrow());
        assertThat(delete.getString("action")).isEqualTo("DELETE");
        Document failedLogin = only("auth.login_failed");
        assertThat(failedLogin.getBoolean("success")).isFalse();
        assertThat(failedLogin.getString("actor_username")).isEqualTo("dora");
        assertThat(failedLogin.getLong("status_code")).isEqualTo(401L);
        Document reset = only("auth.user.reset_password");
        assertThat(reset.getString("request_summary")).isEqualTo("{\"user_id\":\"" + doraId + "\"}");
        assertThat(reset.getString("resource_id")).isEqualTo(doraId);
        assertThat(only("auth.user.create").getString("resource_id")).isEqualTo(doraId);
        assertThat(only("admin.api_key.create").getString("resource_id")).isEqualTo("***" + key.substring(key.length() - 4));
        Document refused = only("admin.prompt.create");
        assertThat(refused.getString("actor_type")).isEqualTo("anonymous");
        assertThat(refused.getBoolean("success")).isFalse();
        assertThat(refused.getString("error_message")).isEqualTo(Access.ADMIN_REQUIRED);
        assertThat(only("auth.user.change_password").getString("actor_username")).isEqualTo("dora");
        assertThat(only("admin.unknown").getLong("status_code")).isEqualTo(404L);
        assertThat(adminRecords()).as("every record completed with its outcome")
                .allSatisfy(d -> assertThat(d.getLong("status_code")).isNotZero());

        String everything = adminRecords().toString();
        assertThat(everything).doesNotContain("Dora-Password", "Wrong-Guess", Orbit.ADMIN_PASSWORD, key,
                "orbit_Rn4mEdS3cr3tK3yAbCdEfGh12", admin, dora);
    }

    @Test
    void chatCallsAreAuditedOffTheRequestPathAndAddUpInTheUsageReport() throws Exception {
        Orbit orbit = orbit(AUDIT_ON + ChatRoutesTest.withFakeAdapter(provider));
        String key = orbit.createKey(Orbit.ADAPTER);
        String fake = orbit.createKey(ChatRoutesTest.FAKE);
        assertThat(orbit.post("/v1/chat").apiKey(key).session("s-1").header("X-User-ID", "alice")
                .json(ask("the secret question")).send().status()).isEqualTo(200);
        EventReader.read(orbit.post("/v1/chat").apiKey(key).session("s-1").header("X-User-ID", "alice").json(Map.of("messages",
                List.of(Map.of("role", "user", "content", "stream it")), "stream", true)));
        assertThat(orbit.post("/v1/chat/completions").apiKey(key).session("s-3").json(ask("hello")).send().status()).isEqualTo(200);
        provider.mode(FakeProvider.Mode.FAIL);
        assertThat(orbit.post("/v1/chat").apiKey(fake).session("s-2").json(ask("hi")).send().status()).isEqualTo(502);
        orbit.gateway().audit().writer().orElseThrow().flush();

        List<Document> chats = orbit.gateway().database().findMany(OrbitSchema.AUDIT_LOGS, all());
        assertThat(chats).extracting(d -> d.getString("call_type") + " " + d.getString("outcome"))
                .containsExactlyInAnyOrder("chat success", "chat success", "completions success", "chat provider_error");
        assertThat(chats).allSatisfy(d -> {
            assertThat(d.getString("query")).isEmpty(); // content is off by default
            assertThat(d.getString("response")).isEmpty();
            assertThat(d.getString("api_key_hash")).hasSize(64);
        });
        assertThat(chats.toString()).doesNotContain("secret question", key, fake);

        Reply usage = orbit.get("/admin/observability/usage?days=1&group_by=call_type").bearer(orbit.adminToken()).send();
        assertThat(usage.status()).as(usage.body()).isEqualTo(200);
        JsonNode totals = usage.json().get("totals");
        assertThat(totals.get("requests").asLong()).isEqualTo(4);
        long tokens = chats.stream().mapToLong(d -> d.getLong("total_tokens")).sum();
        assertThat(totals.get("total_tokens").asLong()).isEqualTo(tokens);
        assertThat(totals.get("unpriced_requests").asLong()).isEqualTo(1); // fake-model has no price
        assertThat(totals.get("cost_usd").asDouble()).isGreaterThan(0);
        assertThat(usage.json().get("series")).hasSize(1);
        assertThat(usage.json().get("groups")).extracting(g -> g.get("key").textValue())
                .containsExactlyInAnyOrder("chat", "completions");
        // The mock provider estimates its counts and a failed call reports none.
        assertThat(totals.get("unreported_requests").asLong()).isEqualTo(4);
        assertThat(usage.json().get("pricing").get("updated").textValue()).isEqualTo("2020-01-01");
        assertThat(usage.json().get("pricing").get("stale").booleanValue()).isTrue();

        JsonNode hourly = orbit.get("/admin/observability/usage?days=1&bucket=hour&group_by=user_id")
                .bearer(orbit.adminToken()).send().json();
        assertThat(hourly.get("window").get("bucket").textValue()).isEqualTo("hour");
        assertThat(hourly.get("series")).hasSize(24);
        long perHour = 0;
        for (JsonNode point : hourly.get("series")) {
            perHour += point.get("requests").asLong();
        }
        assertThat(perHour).isEqualTo(4);
        assertThat(hourly.get("groups")).extracting(g -> g.get("key").textValue() + " " + g.get("requests").asLong())
                .containsExactlyInAnyOrder("alice 2", "unknown 2");
        JsonNode byKey = orbit.get("/admin/observability/usage?group_by=api_key&adapter_name=" + Orbit.ADAPTER
                + "&limit_groups=5").bearer(orbit.adminToken()).send().json();
        assertThat(byKey.get("groups")).hasSize(1);
        JsonNode keyGroup = byKey.get("groups").get(0);
        assertThat(keyGroup.get("requests").asLong()).isEqualTo(3);
        assertThat(keyGroup.get("label").textValue()).isEqualTo("test client");
        assertThat(keyGroup.get("ambiguous").booleanValue()).isFalse();
        assertThat(orbit.get("/admin/observability/usage?bucket=week").bearer(orbit.adminToken()).send().status())
                .isEqualTo(422);

        Reply events = orbit.get("/admin/audit/events?source=chat&limit=2").bearer(orbit.adminToken()).send();
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.json().get("total").asLong()).isEqualTo(4);
        assertThat(events.json().get("returned").asLong()).isEqualTo(2);
        JsonNode newest = events.json().get("events").get(0);
        assertThat(newest.get("event_type").textValue()).isEqualTo("chat.request");
        // The contract's masked key: "..." and the last 6 characters, never the key.
        assertThat(newest.get("api_key").get("key").textValue()).isEqualTo("..." + fake.substring(fake.length() - 6));
    }

    @Test
    void contentIsKeptOnlyWhenConfiguredAndCompressedTextsReadBackPlain() {
        Orbit orbit = orbit("internal_services: {audit: {enabled: true, flush_interval_ms: 20, store_content: true,"
                + " compress_responses: true}}");
        String key = orbit.createKey(Orbit.ADAPTER);
        orbit.post("/v1/chat").apiKey(key).session("s-1").json(ask("what is kept?")).send();
        orbit.gateway().audit().writer().orElseThrow().flush();

        JsonNode event = orbit.get("/admin/audit/events?source=chat").bearer(orbit.adminToken()).send().json()
                .get("events").get(0);
        assertThat(event.get("query").textValue()).isEqualTo("what is kept?");
        assertThat(event.get("response").textValue()).contains("what is kept?");
        assertThat(event.get("response_compressed").booleanValue()).isTrue();
    }

    @Test
    void readingNeedsAuditReadAndFiltersPageAndRefuseBadInput() {
        Orbit orbit = orbit(AUDIT_ON);
        String user = orbit.userWithRoles("plain", "user");
        String auditor = orbit.userWithRoles("audra", "auditor");
        orbit.post("/auth/login").json(Map.of("username", "nobody", "password", "x")).send();

        assertThat(orbit.get("/admin/audit/events").send().status()).isEqualTo(401);
        assertThat(orbit.get("/admin/audit/events").bearer(user).send().status()).isEqualTo(403);
        assertThat(orbit.get("/admin/observability/usage").bearer(user).send().status()).isEqualTo(403);
        Reply failed = orbit.get("/admin/audit/events?success=false").bearer(auditor).send();
        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.json().get("total").asLong()).isEqualTo(1);
        assertThat(failed.json().get("events").get(0).get("event_type").textValue()).isEqualTo("auth.login_failed");
        Reply logins = orbit.get("/admin/audit/events?event_prefix=auth.login&limit=1&offset=1").bearer(auditor).send();
        assertThat(logins.json().get("returned").asLong()).isEqualTo(1);
        assertThat(logins.json().get("total").asLong()).isEqualTo(4); // admin, plain, audra, nobody
        assertThat(orbit.get("/admin/audit/events?limit=0").bearer(auditor).send().status()).isEqualTo(422);
        assertThat(orbit.get("/admin/audit/events?since=yesterday").bearer(auditor).send().status()).isEqualTo(422);
        assertThat(orbit.get("/admin/observability/usage?group_by=colour").bearer(auditor).send().status())
                .isEqualTo(422);
        assertThat(orbit.get("/admin/observability/usage?days=366").bearer(auditor).send().status()).isEqualTo(422);
        // Times past what the store can hold are the caller's mistake, named, not a refused query.
        assertThat(orbit.get("/admin/audit/events?since=99999999999999999999").bearer(auditor).send().status())
                .isEqualTo(422);
        assertThat(orbit.get("/admin/audit/events?until=%2B10000-01-01T00:00Z").bearer(auditor).send().status())
                .isEqualTo(422);
    }

    @Test
    void aLongTextIsCutBetweenCharactersSoTheChangeAndItsRecordBothStand() {
        Orbit orbit = orbit(AUDIT_ON);
        // The 200th character is an emoji (two UTF-16 units): cutting by units would leave half of it.
        String clientName = "a".repeat(199) + "\uD83D\uDE00" + "tail";

        Reply created = orbit.post("/admin/api-keys").bearer(orbit.adminToken())
                .json(Map.of("client_name", clientName, "adapter_name", Orbit.ADAPTER)).send();

        assertThat(created.status()).as(created.body()).isEqualTo(200);
        Document record = only("admin.api_key.create");
        assertThat(record.getString("request_summary")).contains("a".repeat(199) + "\uD83D\uDE00...")
                .doesNotContain("tail");
    }

    @Test
    void withTheAuditOffNothingIsRecordedAndTheRoutesAre503() {
        Orbit orbit = orbit();
        orbit.createKey(Orbit.ADAPTER);
        assertThat(adminRecords()).isEmpty();
        Reply reply = orbit.get("/admin/audit/events").bearer(orbit.adminToken()).send();
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.detail()).isEqualTo("Audit logging is disabled");
        assertThat(orbit.get("/admin/observability/usage").bearer(orbit.adminToken()).send().status()).isEqualTo(503);
    }

    @Test
    void anApiKeyActorIsRecordedByItsLastFourCharactersOnly() {
        Orbit orbit = orbit(AUDIT_ON + "auth: {api_key_admin_access: true}");
        String key = orbit.createKey(Orbit.ADAPTER);

        Reply created = orbit.post("/admin/prompts").apiKey(key).json(Map.of("name", "by-key", "prompt", "Be brief."))
                .send();

        assertThat(created.status()).isEqualTo(200);
        Document record = only("admin.prompt.create");
        assertThat(record.getString("actor_type")).isEqualTo("api_key");
        assertThat(record.getString("actor_id")).isEqualTo("***" + key.substring(key.length() - 4));
        assertThat(record.getString("resource_id")).isEqualTo(created.json().get("id").textValue());
        assertThat(record.getString("request_summary")).isEqualTo("{\"name\":\"by-key\"}");
        assertThat(adminRecords().toString()).doesNotContain(key);
    }
}
