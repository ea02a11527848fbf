package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code orbit quota get|set|reset|report} with the reference CLI's flags. */
class QuotaCommandTest extends CliTestBase {
    private int chat(String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat"))
                .header("X-API-Key", key).header("X-Session-ID", "s-" + key.hashCode())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String newKey(String name) {
        return ok("--output", "json", "key", "create", "--adapter", TestGateway.ADAPTER, "--name", name).json()
                .path("api_key").asText();
    }

    @Test
    void setGetResetAndReportAKeysQuota() throws Exception {
        loginAsAdmin();
        String key = newKey("widget");

        ok("quota", "set", "--key", key, "--daily-limit", "2", "--monthly-limit", "0", "--priority", "3",
                "--throttle-enabled", "false");
        assertThat(chat(key)).isEqualTo(200);
        assertThat(chat(key)).isEqualTo(200);
        assertThat(chat(key)).isEqualTo(429);

        Run shown = ok("quota", "get", "--key", key);
        assertThat(shown.out()).containsPattern("Daily limit: +2").containsPattern("Monthly limit: +unlimited")
                .containsPattern("Throttle enabled: +no").containsPattern("Throttle priority: +3")
                .containsPattern("Daily used: +2").containsPattern("Daily remaining: +0").doesNotContain(key);
        assertThat(ok("--output", "json", "quota", "get", "--key", key).json().path("usage").path("monthly_used")
                .asLong()).isEqualTo(2);

        ok("quota", "reset", "--key", key, "--period", "daily");
        assertThat(chat(key)).isEqualTo(200);

        Run report = ok("quota", "report", "--period", "daily");
        assertThat(report.out().lines().findFirst().orElseThrow())
                .matches("KEY +CLIENT +ADAPTER +USED +LIMIT +% USED +THROTTLE +PRIORITY");
        assertThat(report.out()).contains("widget").contains("50.0%").contains("Total keys: 1");
        JsonNode json = ok("--output", "json", "quota", "report", "--period", "monthly", "--limit", "5").json();
        assertThat(json.path("usage").get(0).path("used").asLong()).isEqualTo(3);
        assertThat(json.path("usage").get(0).path("limit").isNull()).isTrue();
    }

    @Test
    void setAndGetAKeysTokenAndCostBudgetsAndDefaultRemovesThem() throws Exception {
        loginAsAdmin();
        String key = newKey("budgeted");

        ok("quota", "set", "--key", key, "--daily-token-limit", "1", "--monthly-token-limit", "0",
                "--monthly-cost-limit", "2.5");
        assertThat(chat(key)).isEqualTo(200);
        assertThat(chat(key)).as("the day's token budget of 1 is spent").isEqualTo(429);

        Run shown = ok("quota", "get", "--key", key);
        assertThat(shown.out()).containsPattern("Daily token limit: +1\\b")
                .containsPattern("Monthly token limit: +unlimited").containsPattern("Monthly cost limit \\(USD\\): +2.5")
                .containsPattern("Tokens today: +[1-9]");
        JsonNode json = ok("--output", "json", "quota", "get", "--key", key).json();
        assertThat(json.path("quota").path("monthly_cost_limit").asDouble()).isEqualTo(2.5);

        ok("quota", "set", "--key", key, "--daily-token-limit", "default", "--monthly-cost-limit", "default");
        JsonNode cleared = ok("--output", "json", "quota", "get", "--key", key).json().path("quota");
        assertThat(cleared.path("daily_token_limit").isNull()).isTrue();
        assertThat(cleared.path("monthly_cost_limit").isNull()).isTrue();
        assertThat(chat(key)).isEqualTo(200);
    }

    @Test
    void badValuesAreOneLineErrors() {
        loginAsAdmin();
        String key = newKey("w");
        fails("--daily-limit: expected a number of requests >= 0 (0: unlimited), got -5", "quota", "set", "--key", key,
                "--daily-limit", "-5");
        fails("--priority: expected 1 to 10, got 11", "quota", "set", "--key", key, "--priority", "11");
        fails("--daily-token-limit: expected a whole number >= 0 (0: unlimited) or 'default', got '-3'", "quota", "set",
                "--key", key, "--daily-token-limit", "-3");
        fails("--monthly-cost-limit: expected an amount of US dollars >= 0 (0: unlimited) or 'default', got 'lots'",
                "quota", "set", "--key", key, "--monthly-cost-limit", "lots");
        fails("--throttle-enabled: expected true or false, got 'maybe'", "quota", "set", "--key", key,
                "--throttle-enabled", "maybe");
        fails("--period: expected daily, monthly or all, got 'weekly'", "quota", "reset", "--key", key, "--period",
                "weekly");
        fails("API key not found", "quota", "get", "--key", "no-such-key");
    }
}
