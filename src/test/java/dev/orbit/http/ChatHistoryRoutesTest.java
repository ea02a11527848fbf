package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.service.ApiKeyFingerprint;
import dev.orbit.service.ChatHistoryService;
import dev.orbit.service.MutableClock;
import dev.orbit.service.NewMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatHistoryRoutesTest extends GatewayTestBase {
    private ChatHistoryService history() {
        return orbit().gateway().services().chatHistory();
    }

    /** Stores {@code turns} turns in the session as {@code key} would through chat. */
    private void turns(String sessionId, String key, String userId, int turns) {
        for (int i = 0; i < turns; i++) {
            history().addTurn(sessionId, ApiKeyFingerprint.of(key), userId, NewMessage.user("question " + i),
                    NewMessage.assistant("answer " + i).withMetadata(Map.of("adapter_name", Orbit.ADAPTER)), null);
        }
    }

    @Test
    void anAnalystReadsTheLatestMessagesInChronologicalOrder() {
        String key = orbit().createKey(Orbit.ADAPTER);
        turns("s-1", key, "u-1", 3);
        String analyst = orbit().userWithRoles("ana", "analyst");

        Reply reply = orbit().get("/admin/chat-history/s-1?limit=4").bearer(analyst).send();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("session_id").textValue()).isEqualTo("s-1");
        assertThat(json.get("count").intValue()).isEqualTo(4);
        assertThat(json.get("messages")).extracting(m -> m.get("content").textValue())
                .containsExactly("question 1", "answer 1", "question 2", "answer 2");
        JsonNode answer = json.get("messages").get(1);
        assertThat(answer.fieldNames()).toIterable().containsExactly("message_id", "role", "content", "timestamp", "token_count",
                "metadata");
        assertThat(answer.get("metadata").get("adapter_name").textValue()).isEqualTo(Orbit.ADAPTER);
        assertThat(json.get("messages").get(0).has("metadata")).isFalse();
    }

    @Test
    void theDefaultLimitIsTheConfiguredOne() {
        String key = orbit("chat_history: {default_limit: 3}").createKey(Orbit.ADAPTER);
        turns("s", key, null, 3);

        assertThat(orbit().get("/admin/chat-history/s").bearer(orbit().adminToken()).send().json().get("count")
                .intValue()).isEqualTo(3);
    }

    @Test
    void anUnknownSessionIsEmpty() {
        Reply reply = orbit().get("/admin/chat-history/nobody-here").bearer(orbit().adminToken()).send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"session_id\":\"nobody-here\",\"messages\":[],\"count\":0}");
    }

    @Test
    void aLimitOutsideOneTo500OrNotANumberIs422() {
        String admin = orbit().adminToken();

        for (String limit : List.of("0", "501", "-1", "lots", "")) {
            Reply reply = orbit().get("/admin/chat-history/s?limit=" + limit).bearer(admin).send();
            assertThat(reply.status()).as(limit).isEqualTo(422);
            assertThat(reply.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"query\",\"limit\"]");
        }
    }

    @Test
    void readingHistoryNeedsConversationsReadAndASessionToken() {
        String key = orbit().createKey(Orbit.ADAPTER);
        String operator = orbit().userWithRoles("oper", "operator");

        Reply forbidden = orbit().get("/admin/chat-history/s").bearer(operator).send();
        Reply anonymous = orbit().get("/admin/chat-history/s").send();
        Reply withKey = orbit().get("/admin/chat-history/s").apiKey(key).send();

        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.detail()).isEqualTo("Missing required permission(s): conversations.read");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.detail()).isEqualTo("Authentication required");
        assertThat(withKey.status()).isEqualTo(401);
    }

    @Test
    void aUsersSessionsAreListedMostRecentFirst() {
        // A clock the test moves: two sessions written in one millisecond of the system clock would tie.
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        String key = orbit(clock).createKey(Orbit.ADAPTER);
        turns("older", key, "u-7", 1);
        clock.advance(Duration.ofSeconds(1));
        turns("newer", key, "u-7", 2);
        turns("someone-else", key, "u-8", 1);

        Reply reply = orbit().get("/admin/chat-history?user_id=u-7").bearer(orbit().adminToken()).send();
        Reply page = orbit().get("/admin/chat-history?user_id=u-7&limit=1&offset=1").bearer(orbit().adminToken()).send();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("user_id").textValue()).isEqualTo("u-7");
        assertThat(json.get("count").intValue()).isEqualTo(2);
        assertThat(json.get("sessions")).extracting(s -> s.get("session_id").textValue()).containsExactly("newer", "older");
        JsonNode newer = json.get("sessions").get(0);
        assertThat(newer.get("message_count").intValue()).isEqualTo(4);
        assertThat(newer.get("created_at").textValue()).matches(JsonTest.ISO_MILLIS);
        assertThat(newer.get("last_activity").textValue()).matches(JsonTest.ISO_MILLIS);
        assertThat(page.json().get("sessions")).extracting(s -> s.get("session_id").textValue()).containsExactly("older");
    }

    @Test
    void listingSessionsNeedsAUserIdAndNumericPaging() {
        String admin = orbit().adminToken();

        Reply missing = orbit().get("/admin/chat-history").bearer(admin).send();
        Reply paging = orbit().get("/admin/chat-history?user_id=u&offset=x").bearer(admin).send();
        Reply forbidden = orbit().get("/admin/chat-history?user_id=u").bearer(orbit().userWithRoles("usr", "user")).send();

        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"query\",\"user_id\"]");
        assertThat(paging.status()).isEqualTo(422);
        assertThat(forbidden.status()).isEqualTo(403);
    }

    @Test
    void theOwningKeyClearsItsSession() {
        String key = orbit().createKey(Orbit.ADAPTER);
        turns("s-9", key, null, 2);

        Reply reply = orbit().delete("/admin/chat-history/s-9").apiKey(key).session("s-9").send();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("status").textValue()).isEqualTo("success");
        assertThat(json.get("session_id").textValue()).isEqualTo("s-9");
        assertThat(json.get("deleted_count").intValue()).isEqualTo(4);
        assertThat(json.get("timestamp").textValue()).matches(JsonTest.ISO_MILLIS);
        assertThat(json.has("message")).isTrue();
        assertThat(history().latest("s-9", 10)).isEmpty();
    }

    @Test
    void aSessionHeaderSentAsUtf8BytesNamesTheSameSessionAsThePath() {
        String key = orbit().createKey(Orbit.ADAPTER);
        turns("s\u00e9\ud83d\ude00", key, null, 1);

        String answer = RawHttp.send(orbit(), "DELETE /admin/chat-history/s%C3%A9%F0%9F%98%80 HTTP/1.1\r\nHost: x\r\n"
                + "X-API-Key: " + key + "\r\nX-Session-ID: s\u00e9\ud83d\ude00\r\nConnection: close\r\n\r\n");

        assertThat(RawHttp.status(answer)).as(answer).isEqualTo(200);
        assertThat(history().latest("s\u00e9\ud83d\ude00", 10)).isEmpty();
    }

    @Test
    void anotherKeyMayNotClearTheSession() {
        String owner = orbit().createKey(Orbit.ADAPTER);
        String other = orbit().createKey(Orbit.ADAPTER);
        turns("mine", owner, null, 1);

        Reply reply = orbit().delete("/admin/chat-history/mine").apiKey(other).send();

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.detail()).isEqualTo("Access denied");
        assertThat(history().latest("mine", 10)).hasSize(2);
    }

    @Test
    void clearingNeedsAValidKeyAndAMatchingSessionHeader() {
        String key = orbit().createKey(Orbit.ADAPTER);
        turns("s", key, null, 1);

        Reply noKey = orbit().delete("/admin/chat-history/s").send();
        Reply badKey = orbit().delete("/admin/chat-history/s").apiKey("orbit_invalid").send();
        Reply mismatch = orbit().delete("/admin/chat-history/s").apiKey(key).session("other").send();
        Reply adminToken = orbit().delete("/admin/chat-history/s").bearer(orbit().adminToken()).send();

        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.detail()).isEqualTo("Invalid or missing API key");
        assertThat(badKey.status()).isEqualTo(401);
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(adminToken.status()).isEqualTo(401);
        assertThat(history().latest("s", 10)).hasSize(2);
    }

    @Test
    void hostileSessionIdsAreClientErrorsOrEmptyNeverServerErrors() {
        String admin = orbit().adminToken();
        String key = orbit().createKey(Orbit.ADAPTER);

        for (String id : List.of("%00", "a%0Ab", "x".repeat(300), "..%2F..", "%22%3B%20drop", "%24where",
                "0123456789abcdef01234567")) {
            Reply read = orbit().get("/admin/chat-history/" + id).bearer(admin).send();
            Reply clear = orbit().delete("/admin/chat-history/" + id).apiKey(key).send();
            assertThat(read.status()).as(id).isIn(200, 400, 404);
            assertThat(clear.status()).as(id).isIn(200, 400, 404);
        }
    }
}
