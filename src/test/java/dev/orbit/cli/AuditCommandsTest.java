package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class AuditCommandsTest extends CliTestBase {
    private void chat(String key) throws Exception {
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(gateway.url() + "/v1/chat")).header("X-API-Key", key).header("X-Session-ID", "s-1")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).isEqualTo(200);
    }

    @Test
    void auditShowsWhoDidWhatAndFiltersByActionActorAndOutcome() {
        loginAsAdmin();
        String key = ok("--output", "json", "key", "create", "--adapter", TestGateway.ADAPTER, "--name", "w").json()
                .path("api_key").asText();
        ok("key", "delete", "--key", key, "--force");
        orbit.run("login", "-u", "admin", "-p", "wrong-password");
        loginAsAdmin();

        Run table = ok("audit");
        assertThat(table.out().lines().findFirst().orElseThrow()).matches("TIME +EVENT +ACTOR +RESULT +STATUS +DETAIL");
        assertThat(table.out()).contains("admin.api_key.delete", "auth.login_failed")
                .contains("/admin/api-keys/***" + key.substring(key.length() - 4)).doesNotContain(key);
        JsonNode deletes = ok("--output", "json", "audit", "--action", "api_key.delete").json();
        assertThat(deletes).hasSize(1);
        assertThat(deletes.get(0).path("actor_username").asText()).isEqualTo("admin");
        JsonNode failed = ok("--output", "json", "audit", "--outcome", "failed", "--since", "1h").json();
        assertThat(failed).extracting(e -> e.path("event_type").asText()).containsExactly("auth.login_failed");
        assertThat(ok("--output", "json", "audit", "--actor", "admin", "--limit", "2").json()).hasSize(2);
        assertThat(ok("audit", "--actor", "nobody").out()).isEqualTo("No audit events found.\n");
        fails("--since: expected a span such as 24h, 30d, 15m or 90s, got 'yesterday'", "audit", "--since", "yesterday");
    }

    @Test
    void followPrintsANewEventOnceWhenItHappens() throws Exception {
        loginAsAdmin();
        java.io.StringWriter out = new java.io.StringWriter();
        java.util.concurrent.atomic.AtomicReference<Run> finished = new java.util.concurrent.atomic.AtomicReference<>();
        Thread follower = Thread.ofPlatform().start(() -> finished.set(orbit.runWritingTo(out, "audit", "--follow")));
        try {
            awaitOutput(out, "auth.login");
            assertThat(out.toString()).doesNotContain("admin.api_key.create");

            ok("key", "create", "--adapter", TestGateway.ADAPTER, "--name", "followed");

            awaitOutput(out, "admin.api_key.create");
        } finally {
            follower.interrupt();
            follower.join(30_000);
        }
        assertThat(follower.isAlive()).isFalse();
        assertThat(finished.get().status()).isZero();
        // Each event once: the follow asks only for events after the newest it printed.
        assertThat(out.toString().split("admin\\.api_key\\.create", -1)).hasSize(2);
        assertThat(out.toString().split("auth\\.login ", -1)).hasSize(2);
    }

    private static void awaitOutput(java.io.StringWriter out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!out.toString().contains(text)) {
            assertThat(System.nanoTime()).as("'%s' in the output so far: %s", text, out).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void usageSumsRequestsTokensAndCostByKeyModelAdapterOrDay() throws Exception {
        loginAsAdmin();
        String key = ok("--output", "json", "key", "create", "--adapter", TestGateway.ADAPTER, "--name", "widget")
                .json().path("api_key").asText();
        chat(key);
        chat(key);
        gateway.flushAudit();

        Run byKey = ok("usage", "--by", "key");
        assertThat(byKey.out().lines().findFirst().orElseThrow()).matches("KEY +CLIENT +REQUESTS +TOKENS +COST USD");
        assertThat(byKey.out()).contains("widget").contains("total: 2 requests");
        JsonNode report = ok("--output", "json", "usage", "--by", "model", "--since", "7d").json();
        assertThat(report.path("totals").path("requests").asLong()).isEqualTo(2);
        assertThat(report.path("groups").get(0).path("key").asText()).isEqualTo("mock-model");
        assertThat(report.path("window").path("days").asInt()).isEqualTo(7);
        assertThat(ok("usage", "--by", "day", "--since", "2d").out()).contains("REQUESTS");
        assertThat(ok("usage", "--by", "adapter").out()).contains(TestGateway.ADAPTER);
        fails("--by: expected key, adapter, model or day, got 'colour'", "usage", "--by", "colour");
    }
}
