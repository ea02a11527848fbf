package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** What every route shares: bodies, limits, errors, request ids, the access log and CORS. */
class RequestHandlingTest extends GatewayTestBase {
    private Reply createPrompt(String body) {
        return orbit().post("/admin/prompts").bearer(orbit().adminToken()).body(body).send();
    }

    @Test
    void malformedJsonIsA422NotAServerError() {
        for (String body : List.of("{", "{\"name\": }", "not json", "{\"name\": \"a\",}", "\u0000", "{'name': 'a'}")) {
            Reply reply = createPrompt(body);
            assertThat(reply.status()).as(body).isEqualTo(422);
            JsonNode problem = reply.json().get("detail").get(0);
            assertThat(problem.get("type").textValue()).isEqualTo("json_invalid");
            assertThat(problem.get("loc").get(0).textValue()).isEqualTo("body");
        }
    }

    @Test
    void dataAfterTheJsonObjectIsA422() {
        String login = "{\"username\": \"admin\", \"password\": \"" + Orbit.ADMIN_PASSWORD + "\"}";
        for (String body : List.of(login + " GARBAGE", login + "{\"x\": 1}", login + " 1", login + "]")) {
            Reply reply = orbit().post("/auth/login").body(body).send();

            assertThat(reply.status()).as(body).isEqualTo(422);
            assertThat(reply.json().get("detail").get(0).get("type").textValue()).isEqualTo("json_invalid");
            assertThat(reply.detail()).doesNotContain("jackson");
        }
        assertThat(orbit().post("/auth/login").body(login + " \n\t ").send().status()).isEqualTo(200);
    }

    @Test
    void aBodyThatIsNotAnObjectIsA422() {
        for (String body : List.of("[]", "\"text\"", "42", "null", "true")) {
            Reply reply = createPrompt(body);
            assertThat(reply.status()).as(body).isEqualTo(422);
            assertThat(reply.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\"]");
        }
    }

    @Test
    void aMissingBodyIs422FieldRequired() {
        Reply reply = orbit().post("/admin/prompts").bearer(orbit().adminToken()).send();

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.body()).isEqualTo("{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"Field required\",\"type\":\"missing\"}]}");
    }

    @Test
    void fieldsOfTheWrongTypeAre422NamingTheField() {
        Reply number = createPrompt("{\"name\": 5, \"prompt\": \"p\"}");
        Reply object = createPrompt("{\"name\": {\"$gt\": \"\"}, \"prompt\": \"p\"}");
        Reply list = createPrompt("{\"name\": [\"a\"], \"prompt\": \"p\"}");

        for (Reply reply : List.of(number, object, list)) {
            assertThat(reply.status()).isEqualTo(422);
            assertThat(reply.body()).isEqualTo("{\"detail\":[{\"loc\":[\"body\",\"name\"],"
                    + "\"msg\":\"Input should be a valid string\",\"type\":\"string_type\"}]}");
        }
    }

    @Test
    void anUnpairedSurrogateInAStringOrNameIsA422NamingWhereItIs() {
        Reply value = createPrompt("{\"name\": \"\\ud800x\", \"prompt\": \"p\"}");
        Reply nested = createPrompt("{\"name\": \"n\", \"prompt\": \"p\", \"x\": [{\"y\": \"a\\udbff\"}]}");
        Reply lowAlone = createPrompt("{\"name\": \"\\udc00\\ud800\", \"prompt\": \"p\"}");
        Reply name = createPrompt("{\"name\": \"n\", \"prompt\": \"p\", \"k\\udc00\": 1}");
        Reply pair = createPrompt("{\"name\": \"\\ud83d\\ude00\", \"prompt\": \"p\"}");

        assertThat(value.status()).isEqualTo(422);
        assertThat(value.body()).isEqualTo("{\"detail\":[{\"loc\":[\"body\",\"name\"],\"msg\":\"Input should be a valid"
                + " string, unable to parse raw data as a unicode string (unpaired UTF-16 surrogate)\","
                + "\"type\":\"string_unicode\"}]}");
        assertThat(nested.status()).isEqualTo(422);
        assertThat(nested.json().get("detail").get(0).get("loc").toString()).isEqualTo("[\"body\",\"x\",0,\"y\"]");
        assertThat(lowAlone.status()).isEqualTo(422);
        assertThat(name.status()).isEqualTo(422); // Jackson itself refuses it in names, as malformed JSON
        assertThat(name.detail()).contains("surrogate");
        assertThat(pair.status()).isEqualTo(200);
        assertThat(pair.json().get("name").textValue()).isEqualTo("\ud83d\ude00");
    }

    @Test
    void jsonNestedDeeperThan64LevelsIsRefusedAnd64IsAccepted() {
        String tooDeep = "{\"name\": \"n\", \"prompt\": \"p\", \"x\": " + "[".repeat(70) + "]".repeat(70) + "}";
        String deepest = "{\"name\": \"n\", \"prompt\": \"p\", \"x\": " + "[".repeat(63) + "]".repeat(63) + "}";
        String hugeDepth = "[".repeat(100_000);

        Reply refused = createPrompt(tooDeep);
        Reply accepted = createPrompt(deepest);
        Reply huge = createPrompt(hugeDepth);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("detail").get(0).get("msg").textValue()).contains("64");
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(huge.status()).isEqualTo(422);
    }

    @Test
    void aParserLimitIsNamedForWhatItLimits() {
        Reply number = createPrompt("{\"name\": \"n\", \"prompt\": \"p\", \"x\": " + "1".repeat(1_001) + "}");
        Reply name = createPrompt("{\"name\": \"n\", \"prompt\": \"p\", \"" + "k".repeat(50_001) + "\": 1}");

        for (Reply reply : List.of(number, name)) {
            assertThat(reply.status()).isEqualTo(422);
            assertThat(reply.json().get("detail").get(0).get("type").textValue()).isEqualTo("json_invalid");
            assertThat(reply.detail()).doesNotContain("nested", "StreamReadConstraints");
        }
        assertThat(number.json().get("detail").get(0).get("msg").textValue()).contains("number", "1000");
        assertThat(name.json().get("detail").get(0).get("msg").textValue()).contains("name", "50000");
    }

    @Test
    void aBodyOfUpToTheLimitIsReadAndOneByteMoreIs413WhetherOrNotItsLengthIsAnnounced() {
        int limit = 4096;
        Orbit orbit = orbit("http: {max_body_bytes: " + limit + "}");
        String token = orbit.adminToken();
        int name = 0;
        // Every case reported, not only the first that fails (a plain list: AssertJ's SoftAssertions proxies its
        // assertions through byte-buddy, whose use of sun.misc.Unsafe makes JDK 24+ print warnings in the build).
        List<String> problems = new java.util.ArrayList<>();
        for (boolean announced : List.of(true, false)) {
            for (int size : List.of(limit - 1, limit, limit + 1)) {
                String body = promptOfSize("p" + name++, size);
                assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(size);
                Orbit.Call call = orbit.post("/admin/prompts").bearer(token);
                Reply reply = (announced ? call.body(body) : call.body(chunked(body))).send();

                String what = size + " bytes, " + (announced ? "with Content-Length" : "chunked");
                if (reply.status() != (size <= limit ? 200 : 413)) {
                    problems.add(what + ": status " + reply.status());
                }
                if (size > limit && !String.valueOf(reply.detail()).contains(String.valueOf(limit))) {
                    problems.add(what + ": detail " + reply.detail());
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** A prompt creation body of exactly {@code bytes} bytes (ASCII, so characters are bytes). */
    private static String promptOfSize(String name, int bytes) {
        String empty = "{\"name\": \"" + name + "\", \"prompt\": \"\"}";
        return "{\"name\": \"" + name + "\", \"prompt\": \"" + "x".repeat(bytes - empty.length()) + "\"}";
    }

    /** A body sent in chunks, without Content-Length. */
    private static HttpRequest.BodyPublisher chunked(String text) {
        HttpRequest.BodyPublisher inner = HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                inner.subscribe(subscriber);
            }
        };
    }

    @Test
    void aBodyThatCannotBeReadIsA400LoggedInOneLineWithoutStackTrace() {
        String badChunk = "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n";
        byte[] shortBody = ("POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"username\":").getBytes(StandardCharsets.UTF_8);
        try (LogCapture log = new LogCapture(ErrorMapper.class.getName())) {
            String chunked = RawHttp.send(orbit(), badChunk);
            String truncated = RawHttp.send(orbit(), shortBody, true);

            for (String answer : List.of(chunked, truncated)) {
                assertThat(RawHttp.status(answer)).as(answer).isEqualTo(400);
                assertThat(RawHttp.body(answer)).isEqualTo("{\"detail\":\"Could not read the request body\"}");
            }
            assertThat(log.lines()).hasSize(2).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
        }
    }

    @Test
    void aBodyOfOnlyWhitespaceInUtf16OrUtf32IsLikeNoBodyNotA500() {
        byte[][] bodies = {{(byte) 0xFF, (byte) 0xFE, ' ', 0}, {0, ' ', 0, ' '}, {0, 0, 0, ' '}};
        for (byte[] body : bodies) {
            Reply reply = orbit().post("/auth/login").header("Content-Type", "application/json")
                    .body(HttpRequest.BodyPublishers.ofByteArray(body)).send();

            assertThat(reply.status()).as(reply.body()).isEqualTo(422);
            assertThat(reply.body()).contains("\"missing\"");
        }
    }

    @Test
    void anUnknownRouteIs404AndAWrongMethodIs405() {
        Reply unknown = orbit().get("/no/such/route").send();
        Reply wrongMethod = orbit().delete("/health").send();

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"detail\":\"Not Found\"}");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.body()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");
    }

    @Test
    void pathsJettyRefusesStillGetAJsonDetail() {
        Reply reply = orbit().get("/admin/prompts/a%2F..%2Fb").bearer(orbit().adminToken()).send();

        assertThat(reply.status()).isBetween(400, 499);
        assertThat(reply.json().has("detail")).isTrue();
    }

    @Test
    void aPathWithBadPercentEncodingIsA400WithAJsonDetailForEveryMethod() {
        String token = orbit().adminToken();
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
            for (String id : List.of("%ff", "%e2%82", "%ed%a0%80")) {
                String answer = RawHttp.send(orbit(), method + " /admin/prompts/" + id + " HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + token + "\r\nX-Request-ID: rid-" + method + "\r\n"
                        + "Connection: close\r\n\r\n");

                assertThat(RawHttp.status(answer)).as(method + " " + id).isEqualTo(400);
                assertThat(RawHttp.header(answer, "Content-Type")).startsWith("application/json");
                assertThat(RawHttp.body(answer)).as(method + " " + id)
                        .isEqualTo("{\"detail\":\"Malformed percent-encoding in the URL path\"}");
                assertThat(RawHttp.header(answer, "X-Request-ID")).isEqualTo("rid-" + method);
            }
        }
    }

    @Test
    void aRequestLineJettyCannotParseStillGetsAJsonDetailAndARequestId() {
        for (String id : List.of("%00", "%zz")) {
            String answer = RawHttp.send(orbit(), "DELETE /admin/prompts/" + id + " HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n");

            assertThat(RawHttp.status(answer)).as(id).isEqualTo(400);
            assertThat(RawHttp.body(answer)).as(id).startsWith("{\"detail\":\"");
            assertThat(RawHttp.header(answer, "X-Request-ID")).matches("[0-9a-f]{32}");
        }
    }

    @Test
    void aRequestIdIsEchoedOrGenerated() {
        Reply echoed = orbit().get("/health").header("X-Request-ID", "trace-42.a").send();
        Reply generated = orbit().get("/health").send();
        Reply forged = orbit().get("/health").header("X-Request-ID", "bad id with spaces").send();

        assertThat(echoed.header("X-Request-ID")).isEqualTo("trace-42.a");
        assertThat(generated.header("X-Request-ID")).matches("[0-9a-f]{32}");
        assertThat(forged.header("X-Request-ID")).matches("[0-9a-f]{32}");
        assertThat(orbit().get("/nope").send().header("X-Request-ID")).isNotBlank();
    }

    @Test
    void everyRequestGetsOneAccessLogLineWithoutSecrets() {
        String token = orbit().adminToken();
        String key = orbit().createKey(Orbit.ADAPTER);
        try (LogCapture log = new LogCapture("dev.orbit.http.access")) {
            orbit().get("/admin/api-keys/" + key + "/detail").bearer(token).header("X-Request-ID", "rid-1").send();
            orbit().patch("/admin/api-keys/" + key + "/rename?new_api_key=brand-New-Secret-4hT9qW2zXc7Vb1").bearer(token)
                    .header("X-Request-ID", "rid-2").send();
            orbit().get("/health").apiKey("brand-New-Secret-4hT9qW2zXc7Vb1").header("X-Request-ID", "rid-3").send();

            List<String> lines = log.lines();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).matches("GET /admin/api-keys/\\*\\*\\*" + key.substring(key.length() - 4)
                    + "/detail 200 \\d+\\.\\dms rid-1");
            assertThat(lines.get(1)).startsWith("PATCH /admin/api-keys/***").contains(" 200 ", "rid-2");
            assertThat(lines.get(2)).startsWith("GET /health 200 ").endsWith("rid-3");
            assertThat(String.join("\n", lines)).doesNotContain(key, token, "brand-New-Secret-4hT9qW2zXc7Vb1");
        }
    }

    @Test
    void anApiKeyAnywhereInAPathIsMaskedInTheLog() {
        String token = orbit().adminToken();
        String key = orbit().createKey(Orbit.ADAPTER);
        String tail = key.substring(key.length() - 4);
        List<String> paths = List.of("//admin/api-keys/" + key + "/detail", "/admin/./api-keys/" + key,
                "/x/../admin/api-keys/" + key, "/admin/api-keys;a=b/" + key, "/ADMIN/api-keys/" + key,
                "/admin/chat-history/" + key, "/nothing/here/" + key + ";p=1", "/admin/api-keys/"
                        + key.substring(0, 6) + "%" + Integer.toHexString(key.charAt(6)) + key.substring(7),
                "/admin/api-keys/renamed-secret-key/detail");
        try (LogCapture log = new LogCapture("dev.orbit.http.access")) {
            for (String path : paths) {
                RawHttp.send(orbit(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                        + "\r\nConnection: close\r\n\r\n");
            }

            assertThat(log.lines()).hasSize(paths.size());
            String all = String.join("\n", log.lines());
            assertThat(all).doesNotContain(key.substring(6, 20), "renamed-secret");
            assertThat(log.lines()).allSatisfy(line -> assertThat(line).contains("***"));
            assertThat(log.lines().get(0)).startsWith("GET //admin/api-keys/***" + tail + "/detail ");
            assertThat(log.lines().get(5)).startsWith("GET /admin/chat-history/***" + tail + " ");
        }
    }

    @Test
    void aKeyWithAnotherConfiguredPrefixIsMaskedToo() {
        Orbit orbit = orbit("api_keys: {prefix: 'acme-'}");
        String key = orbit.createKey(Orbit.ADAPTER);
        try (LogCapture log = new LogCapture("dev.orbit.http.access")) {
            orbit.get("/v1/" + key).send();

            assertThat(log.lines()).singleElement().asString()
                    .startsWith("GET /v1/***" + key.substring(key.length() - 4) + " ").doesNotContain(key);
        }
    }

    @Test
    void aDatabaseFailureIsAGeneric500LoggedWithTheRequestId() {
        String token = orbit().adminToken();
        try (LogCapture log = new LogCapture(ErrorMapper.class.getName())) {
            orbit().gateway().database().close();

            Reply reply = orbit().get("/admin/prompts").bearer(token).header("X-Request-ID", "rid-500").send();

            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.body()).isEqualTo("{\"detail\":\"Internal Server Error\"}");
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("request rid-500 GET /admin/prompts"));
            assertThat(String.join("\n", log.lines())).doesNotContain(token);
        }
    }

    @Test
    void corsIsOffByDefault() {
        Reply reply = orbit().get("/health").header("Origin", "https://app.example.com").send();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void corsAllowsTheConfiguredOriginsOnly() {
        Orbit orbit = orbit("http: {cors: {allowed_origins: ['https://app.example.com']}}");

        Reply allowed = orbit.get("/health").header("Origin", "https://app.example.com").send();
        Reply other = orbit.get("/health").header("Origin", "https://evil.example.com").send();
        Reply preflight = orbit.options("/v1/chat").header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-api-key,x-session-id").send();

        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight.status()).isBetween(200, 204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("x-api-key");
    }

    @Test
    void manyConcurrentRequestsAreAllAnswered() throws Exception {
        String token = orbit().adminToken();
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> replies = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            replies.add(orbit().client().sendAsync(orbit().post("/admin/prompts").bearer(token)
                    .json(Map.of("name", "p" + i, "prompt", "text " + i)).request(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        for (var reply : replies) {
            assertThat(reply.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(orbit().get("/admin/prompts?limit=1000").bearer(token).send().json()).hasSize(64);
    }

    @Test
    void closingWaitsForNothingWhenIdle() {
        Orbit orbit = orbit();
        orbit.get("/health").send(); // leaves an idle keep-alive connection, which must not count as a request
        long start = System.nanoTime();

        orbit.close();

        // Not a speed test: it only tells "did not wait out the grace period" from "did", with room for a slow
        // machine on either side (an idle close takes milliseconds).
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HttpServer.STOP_GRACE.dividedBy(2));
    }
}
