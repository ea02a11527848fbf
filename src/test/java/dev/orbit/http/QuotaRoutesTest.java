package dev.orbit.http;

import static dev.orbit.db.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.db.OrbitSchema;
import dev.orbit.service.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-key quotas and rate limits of the chat routes, and the quota admin routes ({@code orbit-api-next.md} §3). */
class QuotaRoutesTest extends GatewayTestBase {
    /** 23:59:30 UTC on the last day of a month: the daily and monthly quotas reset in 30 s. */
    private final MutableClock clock = MutableClock.at("2026-03-31T23:59:30Z");

    private static final String QUOTAS = """
            security:
              throttling:
                enabled: true
                default_quotas: {daily_limit: 3, monthly_limit: 100}
                delay: {min_ms: 1, max_ms: 2, threshold_percent: 100}
            """;

    private static Map<String, Object> ask(String text) {
        return Map.of("messages", List.of(Map.of("role", "user", "content", text)));
    }

    private Reply chat(Orbit orbit, String key) {
        return orbit.post("/v1/chat").apiKey(key).session("s-" + key.hashCode()).json(ask("hi")).send();
    }

    @Test
    void aKeyPastItsDailyQuotaIsRefusedWith429UntilMidnightUtcAndTheRefusalIsNotCounted() {
        Orbit orbit = orbit(QUOTAS, clock);
        String key = orbit.createKey(Orbit.ADAPTER);
        for (int i = 0; i < 3; i++) {
            Reply ok = chat(orbit, key);
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            assertThat(ok.header("X-Quota-Daily-Remaining")).isEqualTo(String.valueOf(2 - i));
            assertThat(ok.header("X-Quota-Monthly-Remaining")).isEqualTo(String.valueOf(99 - i));
            assertThat(ok.header("X-Quota-Daily-Reset")).isEqualTo("1775001600"); // 2026-04-01T00:00:00Z
            assertThat(ok.header("X-Quota-Monthly-Reset")).isEqualTo("1775001600");
            assertThat(ok.header("X-Throttle-Delay")).as("the last one reaches the threshold (100%%): max_ms")
                    .isEqualTo(i < 2 ? "0" : "2");
        }

        Reply refused = chat(orbit, key);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.detail()).startsWith("Quota exceeded (daily). Please wait for quota reset")
                .contains("2026-04-01T00:00:00Z");
        assertThat(refused.header("Retry-After")).isEqualTo("30");
        JsonNode body = refused.json();
        assertThat(body.get("quota_exceeded").textValue()).isEqualTo("daily");
        assertThat(body.get("daily_remaining").asLong()).isZero();
        assertThat(body.get("monthly_remaining").asLong()).isEqualTo(97);
        assertThat(body.get("daily_reset_at").asLong()).isEqualTo(1775001600L);
        JsonNode quota = orbit.get("/admin/api-keys/" + key + "/quota").bearer(orbit.adminToken()).send().json();
        assertThat(quota.get("usage").get("daily_used").asLong()).isEqualTo(3);
        assertThat(quota.get("usage").get("monthly_used").asLong()).isEqualTo(3);

        clock.advance(Duration.ofSeconds(30)); // a new day and a new month
        assertThat(chat(orbit, key).status()).isEqualTo(200);
    }

    @Test
    void aMalformedBodySentWithAValidKeyCountsAgainstTheKeyAsTheReferenceCountsIt() {
        Orbit orbit = orbit(QUOTAS, clock);
        String key = orbit.createKey(Orbit.ADAPTER);

        Reply malformed = orbit.post("/v1/chat").apiKey(key).session("s-bad").body("{\"messages\": [").send();

        assertThat(malformed.status()).isEqualTo(422);
        assertThat(malformed.header("X-Quota-Daily-Remaining")).isEqualTo("2");
        JsonNode quota = orbit.get("/admin/api-keys/" + key + "/quota").bearer(orbit.adminToken()).send().json();
        assertThat(quota.get("usage").get("daily_used").asLong()).isEqualTo(1);
        // A request without a valid key counts nowhere.
        assertThat(orbit.post("/v1/chat").apiKey("orbit_not_a_key").session("s-bad").body("{").send().status())
                .isEqualTo(401);
        assertThat(orbit.get("/admin/api-keys/" + key + "/quota").bearer(orbit.adminToken()).send().json()
                .get("usage").get("daily_used").asLong()).isEqualTo(1);
    }

    @Test
    void aKeyPastItsDailyTokenBudgetIsRefusedBeforeItsTurnUntilMidnightUtcAndTheRefusalIsNotCounted() {
        Orbit orbit = orbit(QUOTAS, clock);
        String key = orbit.createKey(Orbit.ADAPTER);
        String admin = orbit.adminToken();
        Reply set = orbit.put("/admin/api-keys/" + key + "/quota").bearer(admin)
                .json(Map.of("daily_token_limit", 1, "daily_limit", 0)).send();
        assertThat(set.status()).as(set.body()).isEqualTo(200);

        // The budget is not spent before the first turn: it runs, and its tokens are counted after it.
        assertThat(chat(orbit, key).status()).isEqualTo(200);
        JsonNode usage = orbit.get("/admin/api-keys/" + key + "/quota").bearer(admin).send().json();
        long tokens = usage.get("usage").get("daily_tokens_used").asLong();
        assertThat(tokens).as("the mock's estimated prompt and reply tokens").isPositive();
        assertThat(usage.get("usage").get("monthly_tokens_used").asLong()).isEqualTo(tokens);
        assertThat(usage.get("daily_tokens_remaining").asLong()).isZero();
        assertThat(usage.get("quota").get("daily_token_limit").asLong()).isEqualTo(1);

        Reply refused = chat(orbit, key);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.detail()).isEqualTo("Quota exceeded (daily_tokens: " + tokens + " of 1 tokens). Please wait"
                + " for quota reset at 2026-04-01T00:00:00Z (UTC).");
        assertThat(refused.header("Retry-After")).isEqualTo("30");
        JsonNode body = refused.json();
        assertThat(body.get("quota_exceeded").textValue()).isEqualTo("daily_tokens");
        assertThat(body.get("used").asLong()).isEqualTo(tokens);
        assertThat(body.get("limit").asLong()).isEqualTo(1);
        assertThat(body.get("reset_at").asLong()).isEqualTo(1775001600L);
        JsonNode after = orbit.get("/admin/api-keys/" + key + "/quota").bearer(admin).send().json().get("usage");
        assertThat(after.get("daily_used").asLong()).as("the refused request counts nowhere").isEqualTo(1);
        assertThat(after.get("daily_tokens_used").asLong()).isEqualTo(tokens);

        clock.advance(Duration.ofSeconds(30)); // a new day
        assertThat(chat(orbit, key).status()).isEqualTo(200);
    }

    @Test
    void aMonthlyCostBudgetCountsTheTurnsAtTheConfiguredPricesAndNullReturnsToTheDefault() {
        Orbit orbit = orbit("""
                security:
                  throttling:
                    enabled: true
                    default_quotas: {daily_limit: 0, monthly_limit: 0, monthly_token_limit: 1000000}
                usage: {pricing: {mock-model: {input_per_1m: 1000, output_per_1m: 2000}}}
                """, clock);
        String key = orbit.createKey(Orbit.ADAPTER);
        String admin = orbit.adminToken();
        JsonNode defaults = orbit.get("/admin/api-keys/" + key + "/quota").bearer(admin).send().json().get("quota");
        assertThat(defaults.get("monthly_token_limit").asLong()).isEqualTo(1_000_000);
        assertThat(defaults.get("monthly_cost_limit").isNull()).isTrue();
        Reply set = orbit.put("/admin/api-keys/" + key + "/quota").bearer(admin)
                .json(Map.of("monthly_cost_limit", 0.01, "monthly_token_limit", 0)).send();
        assertThat(set.status()).as(set.body()).isEqualTo(200);

        assertThat(chat(orbit, key).status()).isEqualTo(200);
        JsonNode shown = orbit.get("/admin/api-keys/" + key + "/quota").bearer(admin).send().json();
        double cost = shown.get("usage").get("monthly_cost_used").asDouble();
        assertThat(cost).as("tokens x $1000 or $2000 per million").isPositive();
        assertThat(shown.get("quota").get("monthly_token_limit").isNull()).as("0: unlimited").isTrue();
        assertThat(shown.get("monthly_cost_remaining").asDouble()).isEqualTo(Math.max(0, 0.01 - cost));
        int turns = 1;
        while (chat(orbit, key).status() == 200) {
            turns++;
            assertThat(turns).as("the budget of $0.01 runs out").isLessThan(1000);
        }
        Reply refused = chat(orbit, key);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("quota_exceeded").textValue()).isEqualTo("monthly_cost");
        assertThat(refused.header("Retry-After")).isEqualTo("30");

        Map<String, Object> clear = new HashMap<>();
        clear.put("monthly_cost_limit", null);
        clear.put("monthly_token_limit", null);
        orbit.put("/admin/api-keys/" + key + "/quota").bearer(admin).json(clear).send();
        JsonNode cleared = orbit.get("/admin/api-keys/" + key + "/quota").bearer(admin).send().json().get("quota");
        assertThat(cleared.get("monthly_cost_limit").isNull()).isTrue();
        assertThat(cleared.get("monthly_token_limit").asLong()).as("null: the default again").isEqualTo(1_000_000);
        assertThat(chat(orbit, key).status()).isEqualTo(200);

        orbit.post("/admin/api-keys/" + key + "/quota/reset?period=monthly").bearer(admin).send();
        JsonNode reset = orbit.get("/admin/api-keys/" + key + "/quota").bearer(admin).send().json().get("usage");
        assertThat(reset.get("monthly_tokens_used").asLong()).isZero();
        assertThat(reset.get("monthly_cost_used").asDouble()).isZero();
    }

    @Test
    void aKeyNearItsQuotaIsDelayedAndTheDelayIsReported() {
        Orbit orbit = orbit("""
                security:
                  throttling:
                    enabled: true
                    default_quotas: {daily_limit: 4, monthly_limit: 0}
                    delay: {min_ms: 20, max_ms: 40, threshold_percent: 50, curve: linear}
                """, clock);
        String key = orbit.createKey(Orbit.ADAPTER);
        assertThat(chat(orbit, key).header("X-Throttle-Delay")).isEqualTo("0"); // 1 of 4
        assertThat(chat(orbit, key).header("X-Throttle-Delay")).isEqualTo("20"); // 2 of 4: the threshold
        Reply third = chat(orbit, key); // 3 of 4: half way from the threshold to the limit
        assertThat(third.header("X-Throttle-Delay")).isEqualTo("30");
        assertThat(third.header("X-Quota-Monthly-Remaining")).as("unlimited").isNull();
    }

    @Test
    void theRateLimitPerKeyRefusesPastItsMinuteWithRetryAfterAndRateLimitHeaders() {
        Orbit orbit = orbit("""
                security:
                  rate_limiting:
                    enabled: true
                    api_key_limits: {requests_per_minute: 2, requests_per_hour: 100}
                    ip_limits: {requests_per_minute: 50, requests_per_hour: 100}
                """, clock);
        String key = orbit.createKey(Orbit.ADAPTER);
        Reply first = chat(orbit, key);
        assertThat(first.header("X-RateLimit-Limit")).isEqualTo("2");
        assertThat(first.header("X-RateLimit-Remaining")).isEqualTo("1");
        assertThat(first.header("X-RateLimit-Reset")).isEqualTo("1775001600");
        assertThat(chat(orbit, key).header("X-RateLimit-Remaining")).isEqualTo("0");

        Reply refused = chat(orbit, key);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("30");
        assertThat(refused.json().get("retry_after").asLong()).isEqualTo(30);
        assertThat(refused.detail()).contains("2 requests per minute for this API key");
        assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
        String other = orbit.createKey(Orbit.ADAPTER);
        assertThat(chat(orbit, other).status()).as("another key has its own limit").isEqualTo(200);
    }

    @Test
    void theRateLimitPerAddressFollowsXForwardedForOnlyFromATrustedProxy() {
        Orbit orbit = orbit("""
                security:
                  rate_limiting:
                    enabled: true
                    trusted_proxies: [127.0.0.0/8]
                    api_key_limits: {requests_per_minute: 100, requests_per_hour: 100}
                    ip_limits: {requests_per_minute: 1, requests_per_hour: 100}
                """, clock);
        String key = orbit.createKey(Orbit.ADAPTER);
        Map<String, Integer> statuses = new HashMap<>();
        for (String forwarded : List.of("203.0.113.7", "203.0.113.8", "198.51.100.1, 203.0.113.7")) {
            Reply reply = orbit.post("/v1/chat").apiKey(key).session("s").header("X-Forwarded-For", forwarded)
                    .json(ask("hi")).send();
            statuses.put(forwarded, reply.status());
        }
        // The client wrote the left hop itself: the right-most untrusted one (203.0.113.7) is the client.
        assertThat(statuses).isEqualTo(Map.of("203.0.113.7", 200, "203.0.113.8", 200, "198.51.100.1, 203.0.113.7", 429));
    }

    @Test
    void xForwardedForFromAnUntrustedPeerIsIgnored() {
        Orbit orbit = orbit("""
                security:
                  rate_limiting:
                    enabled: true
                    trusted_proxies: [10.0.0.0/8]
                    ip_limits: {requests_per_minute: 1, requests_per_hour: 100}
                """, clock);
        String key = orbit.createKey(Orbit.ADAPTER);
        assertThat(orbit.post("/v1/chat").apiKey(key).session("s").header("X-Forwarded-For", "203.0.113.1")
                .json(ask("hi")).send().status()).isEqualTo(200);
        assertThat(orbit.post("/v1/chat").apiKey(key).session("s").header("X-Forwarded-For", "203.0.113.2")
                .json(ask("hi")).send().status()).isEqualTo(429);
    }

    @Test
    void theQuotaRoutesShowChangeAndResetAKeysQuotaAndTheChangesAreAudited() {
        Orbit orbit = orbit(QUOTAS + "internal_services: {audit: {enabled: true, flush_interval_ms: 20}}\n", clock);
        String key = orbit.createKey(Orbit.ADAPTER);
        String admin = orbit.adminToken();
        chat(orbit, key);

        JsonNode shown = orbit.get("/admin/api-keys/" + key + "/quota").bearer(admin).send().json();
        assertThat(shown.get("api_key_masked").textValue()).isEqualTo("***" + key.substring(key.length() - 4));
        assertThat(shown.get("quota").toString()).isEqualTo(
                "{\"daily_limit\":3,\"monthly_limit\":100,\"throttle_enabled\":true,\"throttle_priority\":5,"
                + "\"daily_token_limit\":null,\"monthly_token_limit\":null,\"monthly_cost_limit\":null}");
        assertThat(shown.get("usage").get("daily_used").asLong()).isEqualTo(1);
        assertThat(shown.get("usage").get("daily_reset_at").asDouble()).isEqualTo(1775001600.0);
        assertThat(shown.get("usage").get("last_request_at").asDouble()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(shown.get("daily_remaining").asLong()).isEqualTo(2);
        assertThat(shown.get("monthly_remaining").asLong()).isEqualTo(99);
        assertThat(shown.get("throttle_delay_ms").asLong()).isZero();

        Reply set = orbit.put("/admin/api-keys/" + key + "/quota").bearer(admin)
                .json(Map.of("daily_limit", 0, "monthly_limit", 50, "throttle_priority", 2)).send();
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("status").textValue()).isEqualTo("success");
        JsonNode changed = orbit.get("/admin/api-keys/" + key + "/quota").bearer(admin).send().json().get("quota");
        assertThat(changed.get("daily_limit").isNull()).as("0 is unlimited").isTrue();
        assertThat(changed.get("monthly_limit").asLong()).isEqualTo(50);
        assertThat(changed.get("throttle_priority").asLong()).isEqualTo(2);

        Map<String, Object> clear = new HashMap<>();
        clear.put("monthly_limit", null);
        orbit.put("/admin/api-keys/" + key + "/quota").bearer(admin).json(clear).send();
        JsonNode cleared = orbit.get("/admin/api-keys/" + key + "/quota").bearer(admin).send().json().get("quota");
        assertThat(cleared.get("monthly_limit").asLong()).as("null: the default again").isEqualTo(100);
        assertThat(cleared.get("throttle_priority").asLong()).as("kept").isEqualTo(2);

        Reply reset = orbit.post("/admin/api-keys/" + key + "/quota/reset?period=all").bearer(admin).send();
        assertThat(reset.json().get("message").textValue()).isEqualTo("Quota usage (all) reset successfully");
        JsonNode after = orbit.get("/admin/api-keys/" + key + "/quota").bearer(admin).send().json().get("usage");
        assertThat(after.get("daily_used").asLong()).isZero();
        assertThat(after.get("monthly_used").asLong()).isZero();
        assertThat(after.get("last_request_at").isNull()).isTrue();

        var events = orbit.gateway().database().findMany(OrbitSchema.AUDIT_ADMIN_LOGS,
                eq("event_type", "admin.api_key.quota_update"));
        assertThat(events).hasSize(2);
        assertThat(events.getFirst().getString("request_summary")).contains("\"throttle_priority\":2");
        assertThat(orbit.gateway().database().count(OrbitSchema.AUDIT_ADMIN_LOGS,
                eq("event_type", "admin.api_key.quota_reset"))).isEqualTo(1);
    }

    @Test
    void badQuotaSettingsAre422AndChangeNothing() {
        Orbit orbit = orbit(QUOTAS, clock);
        String key = orbit.createKey(Orbit.ADAPTER);
        String admin = orbit.adminToken();
        for (String body : List.of("{\"daily_limit\": -1}", "{\"daily_limit\": \"ten\"}", "{\"daily_limit\": 1.5}",
                "{\"monthly_limit\": 99999999999999999999999}", "{\"throttle_priority\": 11}",
                "{\"throttle_enabled\": \"yes\"}", "{\"weekly_limit\": 5}", "{\"daily_limit\": 5, \"x\\u0000\": 1}",
                "{\"daily_token_limit\": -1}", "{\"monthly_token_limit\": \"1000\"}", "{\"daily_token_limit\": 2.5}",
                "{\"monthly_cost_limit\": -0.5}", "{\"monthly_cost_limit\": \"ten\"}",
                "{\"monthly_cost_limit\": true}")) {
            Reply reply = orbit.put("/admin/api-keys/" + key + "/quota").bearer(admin).body(body).send();
            assertThat(reply.status()).as(body + " -> " + reply.body()).isEqualTo(422);
        }
        assertThat(orbit.get("/admin/api-keys/" + key + "/quota").bearer(admin).send().json().get("quota")
                .get("daily_limit").asLong()).isEqualTo(3);
        assertThat(orbit.post("/admin/api-keys/" + key + "/quota/reset?period=weekly").bearer(admin).send().status())
                .isEqualTo(422);
        assertThat(orbit.get("/admin/quotas/usage-report?limit=0").bearer(admin).send().status()).isEqualTo(422);
        assertThat(orbit.get("/admin/api-keys/nope/quota").bearer(admin).send().status()).isEqualTo(404);
        assertThat(orbit.get("/admin/api-keys/" + key + "/quota").send().status()).isEqualTo(401);
    }

    @Test
    void theUsageReportListsActiveKeysWithTheirUseOfThePeriod() {
        Orbit orbit = orbit(QUOTAS, clock);
        String busy = orbit.createKey(Orbit.ADAPTER);
        orbit.createKey(Orbit.ADAPTER);
        chat(orbit, busy);
        chat(orbit, busy);

        JsonNode report = orbit.get("/admin/quotas/usage-report?period=monthly").bearer(orbit.adminToken()).send().json();

        assertThat(report.get("period").textValue()).isEqualTo("monthly");
        assertThat(report.get("total_keys").asInt()).isEqualTo(2);
        String masked = "***" + busy.substring(busy.length() - 4);
        JsonNode line = null;
        JsonNode idle = null;
        for (JsonNode entry : report.get("usage")) {
            if (entry.get("api_key_masked").textValue().equals(masked)) {
                line = entry;
            } else {
                idle = entry;
            }
        }
        assertThat(line.get("used").asLong()).isEqualTo(2);
        assertThat(line.get("api_key_id").textValue()).as("the key's record id, as GET /admin/api-keys shows it")
                .isEqualTo(orbit.get("/admin/api-keys/" + busy + "/detail").bearer(orbit.adminToken()).send().json()
                        .get("id").textValue());
        assertThat(line.get("limit").asLong()).isEqualTo(100);
        assertThat(line.get("adapter_name").textValue()).isEqualTo(Orbit.ADAPTER);
        assertThat(line.get("throttle_enabled").booleanValue()).isTrue();
        assertThat(line.get("throttle_priority").asInt()).isEqualTo(5);
        assertThat(idle.get("used").asLong()).isZero();
    }

    @Test
    void withThrottlingOffTheQuotaRoutesAre503AndChatsAreNotLimited() {
        Orbit orbit = orbit(clock);
        String key = orbit.createKey(Orbit.ADAPTER);
        Reply reply = orbit.get("/admin/api-keys/" + key + "/quota").bearer(orbit.adminToken()).send();
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.detail()).contains("throttling is enabled");
        Reply chat = chat(orbit, key);
        assertThat(chat.status()).isEqualTo(200);
        assertThat(chat.header("X-Quota-Daily-Remaining")).isNull();
        assertThat(chat.header("X-RateLimit-Limit")).isNull();
        assertThat(orbit.gateway().database().count(OrbitSchema.RATE_COUNTERS,
                dev.orbit.db.Filters.in("window", "daily", "monthly", "minute", "hour"))).isZero();
    }
}
