package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.service.ApiKeyFingerprint;
import dev.orbit.service.NewMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /admin/sessions} (finding, votes, deleting conversations) and {@code /admin/overview}. */
class SessionRoutesTest extends GatewayTestBase {
    private void turn(String sessionId, String key, String userId) {
        orbit().gateway().services().chatHistory().addTurn(sessionId, ApiKeyFingerprint.of(key), userId,
                NewMessage.user("question"), NewMessage.assistant("answer"), null);
    }

    private String keyId(String key) {
        return orbit().get("/admin/api-keys/" + key + "/detail").bearer(orbit().adminToken()).send().json()
                .get("id").textValue();
    }

    private JsonNode find(String query) {
        Reply reply = orbit().get("/admin/sessions" + query).bearer(orbit().adminToken()).send();
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static List<String> ids(JsonNode page) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        page.get("sessions").forEach(s -> out.add(s.get("session_id").textValue()));
        return out;
    }

    @Test
    void sessionsAreFoundByKeyByUserAndByTime() {
        String first = orbit().createKey(Orbit.ADAPTER);
        String second = orbit().createKey(Orbit.ADAPTER);
        turn("s-a", first, "u-1");
        turn("s-b", first, null);
        turn("s-c", second, "u-1");

        assertThat(ids(find(""))).containsExactlyInAnyOrder("s-a", "s-b", "s-c");
        assertThat(ids(find("?api_key=" + keyId(first)))).containsExactlyInAnyOrder("s-a", "s-b");
        assertThat(ids(find("?api_key=" + second))).containsExactly("s-c");
        assertThat(ids(find("?user_id=u-1"))).containsExactlyInAnyOrder("s-a", "s-c");
        assertThat(ids(find("?user_id=u-1&api_key=" + keyId(second)))).containsExactly("s-c");
        String later = URLEncoder.encode(Instant.now().plusSeconds(3600).toString(), StandardCharsets.UTF_8);
        assertThat(ids(find("?since=" + later))).isEmpty();
        assertThat(ids(find("?until=" + later))).hasSize(3);
        assertThat(ids(find("?until=2000-01-01"))).isEmpty();

        JsonNode page = find("?api_key=" + second);
        JsonNode session = page.get("sessions").get(0);
        assertThat(session.get("message_count").longValue()).isEqualTo(2);
        assertThat(session.get("user_id").textValue()).isEqualTo("u-1");
        assertThat(session.get("api_key").get("id").textValue()).isEqualTo(keyId(second));
        assertThat(session.get("api_key").get("masked").textValue()).endsWith(second.substring(second.length() - 4));
        assertThat(session.toString()).doesNotContain(second);
        assertThat(page.get("total").longValue()).isEqualTo(1);
    }

    @Test
    void sessionsArePagedWithTheirTotal() {
        String key = orbit().createKey(Orbit.ADAPTER);
        for (int i = 0; i < 5; i++) {
            turn("s-" + i, key, null);
        }

        JsonNode first = find("?limit=2");
        JsonNode last = find("?limit=2&offset=4");

        assertThat(first.get("sessions")).hasSize(2);
        assertThat(first.get("total").longValue()).isEqualTo(5);
        assertThat(last.get("sessions")).hasSize(1);
        assertThat(ids(first)).doesNotContainAnyElementsOf(ids(last));
    }

    @Test
    void badFiltersAreClearErrors() {
        assertThat(orbit().get("/admin/sessions?api_key=no-such-key").bearer(orbit().adminToken()).send().status())
                .isEqualTo(404);
        assertThat(orbit().get("/admin/sessions?since=yesterday").bearer(orbit().adminToken()).send().status())
                .isEqualTo(422);
        assertThat(orbit().get("/admin/sessions?limit=x").bearer(orbit().adminToken()).send().status()).isEqualTo(422);
        assertThat(orbit().get("/admin/sessions/%00/feedback").bearer(orbit().adminToken()).send().status())
                .isBetween(400, 422);
    }

    @Test
    void findingNeedsConversationsReadAndASessionNotAKey() {
        String key = orbit().createKey(Orbit.ADAPTER);
        String analyst = orbit().userWithRoles("ana", "analyst");
        String operator = orbit().userWithRoles("ops", "operator");

        assertThat(orbit().get("/admin/sessions").bearer(analyst).send().status()).isEqualTo(200);
        assertThat(orbit().get("/admin/sessions").bearer(operator).send().status()).isEqualTo(403);
        assertThat(orbit().get("/admin/sessions").apiKey(key).send().status()).isEqualTo(401);
        assertThat(orbit().get("/admin/sessions").send().status()).isEqualTo(401);
    }

    @Test
    void anAdministratorReadsTheVotesAndDeletesAConversationOfAnyKey() {
        String key = orbit().createKey(Orbit.ADAPTER);
        JsonNode done = EventReader.read(orbit().post("/v1/chat").apiKey(key).session("s-1").json(Map.of("messages",
                List.of(Map.of("role", "user", "content", "hello")), "stream", true))).json().getLast();
        String messageId = done.get("assistant_message_id").textValue();
        assertThat(orbit().post("/api/feedback").apiKey(key).json(Map.of("message_id", messageId, "session_id", "s-1",
                "feedback_type", "down", "comment", "too terse")).send().status()).isEqualTo(200);
        String analyst = orbit().userWithRoles("ana", "analyst");

        Reply votes = orbit().get("/admin/sessions/s-1/feedback").bearer(analyst).send();
        Reply refused = orbit().delete("/admin/sessions/s-1").bearer(analyst).send();
        Reply deleted = orbit().delete("/admin/sessions/s-1").bearer(orbit().adminToken()).send();

        assertThat(votes.json().get("feedbacks").get(0).get("message_id").textValue()).isEqualTo(messageId);
        assertThat(votes.json().get("feedbacks").get(0).get("comment").textValue()).isEqualTo("too terse");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().get("deleted_messages").longValue()).isEqualTo(2);
        assertThat(orbit().get("/admin/chat-history/s-1").bearer(analyst).send().json().get("count").intValue())
                .isZero();
        assertThat(orbit().get("/admin/sessions/s-1/feedback").bearer(analyst).send().json().get("feedbacks"))
                .isEmpty();
        assertThat(orbit().delete("/admin/sessions/s-1").bearer(orbit().adminToken()).send().status()).isEqualTo(404);
        assertThat(orbit().delete("/admin/sessions/none").bearer(orbit().adminToken()).send().status()).isEqualTo(404);
    }

    @Test
    void theOverviewNamesTheDatabaseAndCountsEachCollection() {
        orbit().createKey(Orbit.ADAPTER);
        String auditor = orbit().userWithRoles("audra", "auditor");
        String operator = orbit().userWithRoles("ops", "operator");

        Reply reply = orbit().get("/admin/overview").bearer(operator).send();

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("backend").textValue()).isEqualTo(switch (backend) {
            case SQLITE -> "sqlite";
            case MONGODB -> "mongodb";
            case POSTGRES -> "postgres";
        });
        assertThat(json.get("database").textValue()).startsWith(json.get("backend").textValue() + " ");
        assertThat(json.get("collections").get("api_keys").longValue()).isEqualTo(1);
        assertThat(json.get("collections").get("users").longValue()).isEqualTo(3);
        assertThat(json.get("uptime_seconds").longValue()).isNotNegative();
        assertThat(json.get("version").isTextual()).isTrue();
        assertThat(orbit().get("/admin/overview").bearer(auditor).send().status()).isEqualTo(403);
        assertThat(orbit().get("/admin/overview").send().status()).isEqualTo(401);
    }
}
