package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptRoutesTest extends GatewayTestBase {
    private Orbit.Call admin(Orbit.Call call) {
        return call.bearer(orbit().adminToken());
    }

    private JsonNode create(String name, String text) {
        Reply reply = admin(orbit().post("/admin/prompts")).json(Map.of("name", name, "prompt", text)).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void createReturnsThePromptWithVersion1Dot0AndUnixFloatTimes() {
        JsonNode prompt = create("support", "You answer support questions.");

        assertThat(prompt.fieldNames()).toIterable().containsExactly("id", "name", "prompt", "version", "created_at",
                "updated_at");
        assertThat(prompt.get("version").textValue()).isEqualTo("1.0");
        assertThat(prompt.get("created_at").isFloatingPointNumber()).isTrue();
        assertThat(prompt.get("updated_at").isFloatingPointNumber()).isTrue();
    }

    @Test
    void creatingTheSameNameAgainOverwritesItAndKeepsItsId() {
        JsonNode first = create("support", "one");
        Reply second = admin(orbit().post("/admin/prompts")).json(Map.of("name", "support", "prompt", "two",
                "version", "2.0")).send();

        assertThat(second.json().get("id")).isEqualTo(first.get("id"));
        assertThat(second.json().get("prompt").textValue()).isEqualTo("two");
        assertThat(second.json().get("version").textValue()).isEqualTo("2.0");
        assertThat(admin(orbit().get("/admin/prompts")).send().json()).hasSize(1);
    }

    @Test
    void aPromptTooLongOrEmptyOrMissingIs422() {
        Reply tooLong = admin(orbit().post("/admin/prompts")).json(Map.of("name", "n", "prompt", "x".repeat(25_001))).send();
        Reply empty = admin(orbit().post("/admin/prompts")).json(Map.of("name", "n", "prompt", "")).send();
        Reply missing = admin(orbit().post("/admin/prompts")).json(Map.of("name", "n")).send();
        Reply wrongType = admin(orbit().post("/admin/prompts")).body("{\"name\": \"n\", \"prompt\": 42}").send();

        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"prompt\"]");
        assertThat(empty.status()).isEqualTo(422);
        assertThat(missing.status()).isEqualTo(422);
        assertThat(wrongType.status()).isEqualTo(422);
        assertThat(wrongType.json().get("detail").get(0).get("type").textValue()).isEqualTo("string_type");
    }

    @Test
    void theLongestPromptIsAccepted() {
        assertThat(create("long", "x".repeat(25_000)).get("prompt").textValue()).hasSize(25_000);
    }

    @Test
    void listFiltersByALiteralCaseInsensitiveSubstringWithIsoTimes() {
        create("Support-EN", "a");
        create("support.de", "b");
        create("sales", "c");

        JsonNode support = admin(orbit().get("/admin/prompts?name_filter=SUPPORT")).send().json();
        JsonNode dot = admin(orbit().get("/admin/prompts?name_filter=t.d")).send().json();
        JsonNode regex = admin(orbit().get("/admin/prompts?name_filter=.*")).send().json();
        JsonNode page = admin(orbit().get("/admin/prompts?limit=1&offset=2")).send().json();

        assertThat(support).extracting(p -> p.get("name").textValue()).containsExactly("Support-EN", "support.de");
        assertThat(dot).extracting(p -> p.get("name").textValue()).containsExactly("support.de");
        assertThat(regex).isEmpty();
        assertThat(page).hasSize(1);
        JsonNode item = support.get(0);
        assertThat(item.fieldNames()).toIterable().containsExactly("_id", "name", "prompt", "version", "created_at",
                "updated_at");
        assertThat(item.get("created_at").textValue()).matches(JsonTest.ISO_MILLIS);
    }

    @Test
    void aFilterWithBadPercentEncodingIs422NamingItNeverIgnored() {
        admin(orbit().post("/admin/prompts")).json(Map.of("name", "café au lait", "prompt", "p")).send();
        admin(orbit().post("/admin/prompts")).json(Map.of("name", "tea", "prompt", "p")).send();
        String token = orbit().adminToken();

        for (String filter : List.of("%zz", "%ff", "%e2%82", "abc%")) {
            String answer = RawHttp.send(orbit(), "GET /admin/prompts?limit=5&name_filter=" + filter + " HTTP/1.1\r\n"
                    + "Host: x\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");

            assertThat(RawHttp.status(answer)).as(filter).isEqualTo(422);
            assertThat(RawHttp.body(answer)).as(filter).contains("\"loc\":[\"query\",\"name_filter\"]");
        }
        JsonNode decoded = admin(orbit().get("/admin/prompts?name_filter=caf%C3%A9+au")).send().json();
        assertThat(decoded).hasSize(1);
        assertThat(decoded.get(0).get("name").textValue()).isEqualTo("café au lait");
    }

    @Test
    void getReturnsOnePromptOr404() {
        String id = create("p", "text").get("id").textValue();

        Reply found = admin(orbit().get("/admin/prompts/" + id)).send();
        Reply missing = admin(orbit().get("/admin/prompts/0123456789abcdef01234567")).send();

        assertThat(found.json().get("_id").textValue()).isEqualTo(id);
        assertThat(found.json().get("prompt").textValue()).isEqualTo("text");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.detail()).isEqualTo("Prompt not found");
    }

    @Test
    void updateWithoutAVersionBumpsItsLastNumber() {
        String id = create("p", "one").get("id").textValue();

        Reply bumped = admin(orbit().put("/admin/prompts/" + id)).json(Map.of("prompt", "two")).send();
        Reply named = admin(orbit().put("/admin/prompts/" + id)).json(Map.of("prompt", "three", "version", "v9")).send();
        Reply again = admin(orbit().put("/admin/prompts/" + id)).json(Map.of("prompt", "four")).send();

        assertThat(bumped.json().get("version").textValue()).isEqualTo("1.1");
        assertThat(bumped.json().get("id").textValue()).isEqualTo(id);
        assertThat(named.json().get("version").textValue()).isEqualTo("v9");
        assertThat(again.json().get("version").textValue()).isEqualTo("v10");
        assertThat(again.json().get("updated_at").isFloatingPointNumber()).isTrue();
    }

    @Test
    void updatingAnUnknownPromptIs404() {
        Reply reply = admin(orbit().put("/admin/prompts/0123456789abcdef01234567")).json(Map.of("prompt", "x")).send();

        assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    void deleteRemovesThePromptAndKeysLoseTheAssociation() {
        String id = create("p", "text").get("id").textValue();
        String key = orbit().createKey(Orbit.ADAPTER);
        admin(orbit().post("/admin/api-keys/" + key + "/prompt")).json(Map.of("prompt_id", id)).send();

        Reply deleted = admin(orbit().delete("/admin/prompts/" + id)).send();

        assertThat(deleted.body()).isEqualTo("{\"status\":\"success\",\"message\":\"Prompt deleted\"}");
        assertThat(admin(orbit().get("/admin/prompts/" + id)).send().status()).isEqualTo(404);
        assertThat(admin(orbit().delete("/admin/prompts/" + id)).send().status()).isEqualTo(404);
        assertThat(admin(orbit().get("/admin/api-keys/" + key + "/detail")).send().json().get("system_prompt_id")
                .isNull()).isTrue();
    }

    @Test
    void nulBytesAndUnicodeArePreservedExactly() {
        String text = "line one\u0000after NUL \uD83D\uDE80 caf\u00e9 \u4e2d\u6587 \"quoted\" \\ back";
        String id = create("unicode \u2603", text).get("id").textValue();

        JsonNode read = admin(orbit().get("/admin/prompts/" + id)).send().json();

        assertThat(read.get("prompt").textValue()).isEqualTo(text);
        assertThat(read.get("name").textValue()).isEqualTo("unicode \u2603");
    }

    @Test
    void promptRoutesNeedPromptsManage() {
        String auditor = orbit().userWithRoles("audrey", "auditor");

        Reply forbidden = orbit().get("/admin/prompts").bearer(auditor).send();
        Reply anonymous = orbit().get("/admin/prompts").send();

        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.detail()).isEqualTo("Missing required permission(s): prompts.manage");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.detail()).isEqualTo("Admin authentication or valid API key required");
    }

    @Test
    void hostilePromptIdsAreNotFound() {
        for (String id : List.of("%27%20OR%201%3D1", "x".repeat(500), "%00", "abc%0Adef", "null", "%5B%5D")) {
            Reply get = admin(orbit().get("/admin/prompts/" + id)).send();
            Reply delete = admin(orbit().delete("/admin/prompts/" + id)).send();
            assertThat(get.status()).as(id).isIn(400, 404);
            assertThat(delete.status()).as(id).isIn(400, 404);
        }
    }
}
