package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.service.ChatHistoryService;
import dev.orbit.service.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test gateway is production's wiring: what the factory decides shows through HTTP. */
class GatewayWiringTest extends GatewayTestBase {
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");

    @Test
    void aDefaultHistoryLimitAboveTheMaximumIsServedAsTheMaximum() {
        Orbit orbit = orbit("chat_history: {default_limit: 5000}");
        String key = orbit.createKey(Orbit.ADAPTER);

        Reply chat = orbit.post("/v1/chat").apiKey(key).session("s-1")
                .json(Map.of("messages", List.of(Map.of("role", "user", "content", "hello")))).send();
        Reply history = orbit.get("/admin/chat-history/s-1").bearer(orbit.adminToken()).send();

        assertThat(chat.status()).as(chat.body()).isEqualTo(200);
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        assertThat(orbit.gateway().services().chatHistory().settings().defaultLimit())
                .isEqualTo(ChatHistoryService.MAX_LIMIT);
    }

    @Test
    void theServicesAndTheRoutesRunOnTheTestsClock() {
        Orbit orbit = orbit("", new MutableClock(NOW));
        String key = orbit.createKey(Orbit.ADAPTER);

        Reply keys = orbit.get("/admin/api-keys").bearer(orbit.adminToken()).send();
        Reply completion = orbit.post("/v1/chat/completions").apiKey(key).session("s-1")
                .json(Map.of("messages", List.of(Map.of("role", "user", "content", "hello")))).send();

        assertThat(keys.json().get(0).get("created_at").textValue()).startsWith("2030-01-02T03:04:05");
        assertThat(completion.status()).as(completion.body()).isEqualTo(200);
        assertThat(completion.json().get("created").longValue()).isEqualTo(NOW.getEpochSecond());
    }
}
