package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyRoutesTest extends GatewayTestBase {
    private Orbit.Call admin(Orbit.Call call) {
        return call.bearer(orbit().adminToken());
    }

    private String recordId(String rawKey) {
        return admin(orbit().get("/admin/api-keys/" + rawKey + "/detail")).send().json().get("id").textValue();
    }

    private String newPrompt(String name) {
        return admin(orbit().post("/admin/prompts")).json(Map.of("name", name, "prompt", "Be brief.")).send().json()
                .get("id").textValue();
    }

    @Test
    void createShowsTheFullKeyOnceWithAUnixFloatTime() {
        Reply reply = admin(orbit().post("/admin/api-keys")).json(Map.of("client_name", "widget",
                "adapter_name", Orbit.ADAPTER, "notes", "for the website",
                "allowed_emails", List.of(" Ann@Example.com ", "ann@example.com"))).send();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode key = reply.json();
        assertThat(key.get("api_key").textValue()).matches("orbit_[A-Za-z0-9]{32}");
        assertThat(key.get("created_at").isFloatingPointNumber()).isTrue();
        assertThat(key.get("created_at").doubleValue()).isCloseTo(System.currentTimeMillis() / 1000.0,
                org.assertj.core.data.Offset.offset(60.0));
        assertThat(key.get("active").booleanValue()).isTrue();
        assertThat(key.get("system_prompt_id").isNull()).isTrue();
        assertThat(key.get("allowed_emails").toString()).isEqualTo("[\"ann@example.com\"]");
        assertThat(key.fieldNames()).toIterable().containsExactly("api_key", "client_name", "adapter_name", "notes",
                "created_at", "active", "system_prompt_id", "allowed_user_ids", "allowed_emails");
    }

    @Test
    void createWithAnUnknownAdapterIs400NamingIt() {
        Reply reply = admin(orbit().post("/admin/api-keys")).json(Map.of("client_name", "c", "adapter_name", "nope"))
                .send();

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.detail()).isEqualTo("Adapter 'nope' not found in configuration");
    }

    @Test
    void createWithoutClientNameIs422AndWithAnUnknownPromptIs404() {
        Reply missing = admin(orbit().post("/admin/api-keys")).json(Map.of("adapter_name", Orbit.ADAPTER)).send();
        Reply prompt = admin(orbit().post("/admin/api-keys")).json(Map.of("client_name", "c",
                "adapter_name", Orbit.ADAPTER, "system_prompt_id", "0123456789abcdef01234567")).send();

        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"client_name\"]");
        assertThat(prompt.status()).isEqualTo(404);
    }

    @Test
    void listShowsMaskedKeysNewestFirstWithFilters() {
        String first = orbit().createKey(Orbit.ADAPTER);
        String second = orbit().createKey(Orbit.DISABLED_ADAPTER);
        admin(orbit().post("/admin/api-keys/" + second + "/deactivate")).send();

        JsonNode all = admin(orbit().get("/admin/api-keys")).send().json();
        JsonNode ofAdapter = admin(orbit().get("/admin/api-keys?adapter=" + Orbit.ADAPTER)).send().json();
        JsonNode active = admin(orbit().get("/admin/api-keys?active_only=true")).send().json();
        JsonNode page = admin(orbit().get("/admin/api-keys?limit=1&offset=1")).send().json();

        assertThat(all).extracting(k -> k.get("api_key").textValue())
                .containsExactly("***" + second.substring(34), "***" + first.substring(34));
        assertThat(all.toString()).doesNotContain(first, second);
        JsonNode item = all.get(1);
        assertThat(item.fieldNames()).toIterable().containsExactly("_id", "id", "api_key", "adapter_name", "client_name",
                "notes", "active", "created_at", "system_prompt_id", "system_prompt_name", "allowed_user_ids",
                "allowed_emails");
        assertThat(item.get("_id")).isEqualTo(item.get("id"));
        assertThat(ofAdapter).hasSize(1);
        assertThat(active).hasSize(1);
        assertThat(page).extracting(k -> k.get("api_key").textValue()).containsExactly("***" + first.substring(34));
    }

    @Test
    void detailAcceptsTheRecordIdOrTheRawKeyAndShowsThePromptName() {
        String prompt = newPrompt("support");
        String key = orbit().createKey(Orbit.ADAPTER);
        admin(orbit().post("/admin/api-keys/" + key + "/prompt")).json(Map.of("prompt_id", prompt)).send();
        String id = recordId(key);

        JsonNode byId = admin(orbit().get("/admin/api-keys/" + id + "/detail")).send().json();
        JsonNode byKey = admin(orbit().get("/admin/api-keys/" + key + "/detail")).send().json();

        assertThat(byId).isEqualTo(byKey);
        assertThat(byId.get("system_prompt_id").textValue()).isEqualTo(prompt);
        assertThat(byId.get("system_prompt_name").textValue()).isEqualTo("support");
        assertThat(byId.toString()).doesNotContain(key);
    }

    @Test
    void detailOfAnUnknownKeyIs404() {
        Reply reply = admin(orbit().get("/admin/api-keys/orbit_doesnotexist/detail")).send();

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.detail()).isEqualTo("API key not found");
    }

    @Test
    void statusIsAlways200AndSaysWhetherTheKeyExists() {
        String prompt = newPrompt("p");
        String key = orbit().createKey(Orbit.ADAPTER);
        admin(orbit().post("/admin/api-keys/" + key + "/prompt")).json(Map.of("prompt_id", prompt)).send();

        JsonNode known = admin(orbit().get("/admin/api-keys/" + key + "/status")).send().json();
        Reply unknown = admin(orbit().get("/admin/api-keys/orbit_nope/status")).send();

        assertThat(known.get("exists").booleanValue()).isTrue();
        assertThat(known.get("active").booleanValue()).isTrue();
        assertThat(known.get("adapter_name").textValue()).isEqualTo(Orbit.ADAPTER);
        assertThat(known.get("client_name").textValue()).isEqualTo("test client");
        assertThat(known.get("system_prompt").toString()).isEqualTo("{\"id\":\"" + prompt + "\",\"exists\":true}");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.body()).isEqualTo(
                "{\"exists\":false,\"active\":false,\"adapter_name\":null,\"message\":\"API key does not exist\"}");
    }

    @Test
    void renameTakesTheNewKeyFromTheBodyOrTheQueryAndTheOldKeyStopsWorking() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply byBody = admin(orbit().patch("/admin/api-keys/" + key + "/rename"))
                .json(Map.of("new_api_key", "renamed-Key-7fQ2mZ9xLw4Tb8Nc-one")).send();
        Reply byQuery = admin(orbit().patch("/admin/api-keys/renamed-Key-7fQ2mZ9xLw4Tb8Nc-one/rename?new_api_key=renamed-Key-7fQ2mZ9xLw4Tb8Nc-two")).send();

        assertThat(byBody.status()).isEqualTo(200);
        assertThat(byBody.json().get("status").textValue()).isEqualTo("success");
        assertThat(byBody.json().get("new_api_key_masked").textValue()).isEqualTo("***-one");
        assertThat(byQuery.status()).isEqualTo(200);
        assertThat(byQuery.json().get("new_api_key_masked").textValue()).isEqualTo("***-two");
        assertThat(orbit().get("/health").apiKey(key).send().status()).isEqualTo(401);
        assertThat(orbit().get("/health").apiKey("renamed-Key-7fQ2mZ9xLw4Tb8Nc-two").send().status()).isEqualTo(200);
    }

    @Test
    void renameRefusesATakenKeyWith409AShortOneWith422AndAnUnknownOneWith404() {
        String key = orbit().createKey(Orbit.ADAPTER);
        String other = orbit().createKey(Orbit.ADAPTER);

        Reply taken = admin(orbit().patch("/admin/api-keys/" + key + "/rename")).json(Map.of("new_api_key", other)).send();
        Reply tooShort = admin(orbit().patch("/admin/api-keys/" + key + "/rename?new_api_key=short")).send();
        Reply missing = admin(orbit().patch("/admin/api-keys/" + key + "/rename")).json(Map.of()).send();
        Reply unknown = admin(orbit().patch("/admin/api-keys/orbit_unknown/rename")).json(Map.of("new_api_key",
                "long-Enough-Key-4hT9qW2zXc7Vb1Nm")).send();

        assertThat(taken.status()).isEqualTo(409);
        assertThat(tooShort.status()).isEqualTo(422);
        assertThat(tooShort.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"query\",\"new_api_key\"]");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void updateChangesClientAdapterAndOptionalFields() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply reply = admin(orbit().put("/admin/api-keys/" + key)).json(Map.of("client_name", "renamed client",
                "adapter_name", Orbit.DISABLED_ADAPTER, "notes", "moved", "allowed_user_ids", List.of("u1"))).send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").textValue()).isEqualTo("success");
        JsonNode detail = admin(orbit().get("/admin/api-keys/" + key + "/detail")).send().json();
        assertThat(detail.get("client_name").textValue()).isEqualTo("renamed client");
        assertThat(detail.get("adapter_name").textValue()).isEqualTo(Orbit.DISABLED_ADAPTER);
        assertThat(detail.get("notes").textValue()).isEqualTo("moved");
        assertThat(detail.get("allowed_user_ids").toString()).isEqualTo("[\"u1\"]");
    }

    @Test
    void updateRefusesAnUnknownAdapterWith400AndAnUnknownKeyOrPromptWith404() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply adapter = admin(orbit().put("/admin/api-keys/" + key)).json(Map.of("client_name", "c",
                "adapter_name", "nope")).send();
        Reply unknownKey = admin(orbit().put("/admin/api-keys/orbit_unknown")).json(Map.of("client_name", "c",
                "adapter_name", Orbit.ADAPTER)).send();
        Reply prompt = admin(orbit().put("/admin/api-keys/" + key)).json(Map.of("client_name", "c",
                "adapter_name", Orbit.ADAPTER, "system_prompt_id", "0123456789abcdef01234567")).send();

        assertThat(adapter.status()).isEqualTo(400);
        assertThat(unknownKey.status()).isEqualTo(404);
        assertThat(prompt.status()).isEqualTo(404);
    }

    @Test
    void deactivateMakesTheKeyUnusable() {
        String key = orbit().createKey(Orbit.ADAPTER);

        Reply reply = admin(orbit().post("/admin/api-keys/" + key + "/deactivate")).send();

        assertThat(reply.body()).isEqualTo("{\"status\":\"success\",\"message\":\"API key deactivated\"}");
        assertThat(orbit().get("/health").apiKey(key).send().status()).isEqualTo(401);
        assertThat(admin(orbit().post("/admin/api-keys/orbit_unknown/deactivate")).send().status()).isEqualTo(404);
    }

    @Test
    void deleteRemovesTheKey() {
        String key = orbit().createKey(Orbit.ADAPTER);
        String id = recordId(key);

        Reply reply = admin(orbit().delete("/admin/api-keys/" + id)).send();

        assertThat(reply.body()).isEqualTo("{\"status\":\"success\",\"message\":\"API key deleted\"}");
        assertThat(admin(orbit().get("/admin/api-keys/" + key + "/detail")).send().status()).isEqualTo(404);
        assertThat(admin(orbit().delete("/admin/api-keys/" + id)).send().status()).isEqualTo(404);
    }

    @Test
    void associatingAPromptNeedsBothToExist() {
        String key = orbit().createKey(Orbit.ADAPTER);
        String prompt = newPrompt("p");

        Reply ok = admin(orbit().post("/admin/api-keys/" + key + "/prompt")).json(Map.of("prompt_id", prompt)).send();
        Reply noPrompt = admin(orbit().post("/admin/api-keys/" + key + "/prompt"))
                .json(Map.of("prompt_id", "0123456789abcdef01234567")).send();
        Reply noKey = admin(orbit().post("/admin/api-keys/orbit_unknown/prompt")).json(Map.of("prompt_id", prompt)).send();
        Reply noBody = admin(orbit().post("/admin/api-keys/" + key + "/prompt")).send();

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("status").textValue()).isEqualTo("success");
        assertThat(noPrompt.status()).isEqualTo(404);
        assertThat(noKey.status()).isEqualTo(404);
        assertThat(noBody.status()).isEqualTo(422);
    }

    @Test
    void withoutACredentialEveryKeyRouteIs401AdminAuthenticationRequired() {
        String key = orbit().createKey(Orbit.ADAPTER);

        for (Orbit.Call call : List.of(orbit().get("/admin/api-keys"), orbit().post("/admin/api-keys"),
                orbit().get("/admin/api-keys/" + key + "/detail"), orbit().delete("/admin/api-keys/" + key),
                orbit().get("/admin/api-keys").bearer("not-a-token"))) {
            Reply reply = call.send();
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.detail()).isEqualTo("Admin authentication or valid API key required");
        }
    }

    @Test
    void aClientKeyCannotManageKeysWhileApiKeyAdminAccessIsOff() {
        String key = orbit().createKey(Orbit.ADAPTER);
        String victim = orbit().createKey(Orbit.ADAPTER);

        Reply reply = orbit().delete("/admin/api-keys/" + victim).apiKey(key).send();

        assertThat(reply.status()).isEqualTo(401);
        assertThat(admin(orbit().get("/admin/api-keys/" + victim + "/detail")).send().status()).isEqualTo(200);
    }

    @Test
    void aUserWithoutApikeysManageIsRefusedWith403() {
        String analyst = orbit().userWithRoles("ana", "analyst");

        Reply reply = orbit().get("/admin/api-keys").bearer(analyst).send();

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.detail()).isEqualTo("Missing required permission(s): apikeys.manage");
        assertThat(orbit().get("/admin/api-keys").bearer(orbit().userWithRoles("oper", "operator")).send().status())
                .isEqualTo(200);
    }

    @Test
    void hostileKeysInThePathAreNotFoundNeverAServerError() {
        for (String id : List.of("0123456789abcdef01234567", "%22%27%3B--", "x".repeat(2000), "%00", "..%2F..%2Fetc",
                "%E2%98%83", "$where", "%7B%22%24gt%22%3A%22%22%7D")) {
            Reply detail = admin(orbit().get("/admin/api-keys/" + id + "/detail")).send();
            Reply status = admin(orbit().get("/admin/api-keys/" + id + "/status")).send();
            assertThat(detail.status()).as(id).isIn(400, 404);
            assertThat(detail.json().has("detail")).as(id).isTrue();
            assertThat(status.status()).as(id).isIn(200, 400, 404);
        }
    }
}
