package dev.orbit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The ORBIT HTTP API as the CLI calls it: JSON in and out, the session token as {@code Authorization: Bearer}
 * when there is one. Every failure becomes a {@link CliException} whose message the user can act on: the
 * server's {@code detail}, "not logged in", "permission denied", or "cannot reach the server at URL".
 */
final class OrbitClient {
    // Numbers with a fraction are kept as the server wrote them (BigDecimal), so a unix time such as
    // 1795685172.0384128 prints the same way back instead of as the double 1.7956851720384128E9.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    /** A reply with a 2xx or error status. */
    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http;
    private final String baseUrl;
    private final String token;
    private final boolean session;
    private final Duration timeout;
    private final PrintWriter trace;

    /**
     * @param token   the session token sent, or null
     * @param session whether this client calls routes that need a session (a 401 then means "log in"),
     *                rather than routes such as login whose 401 has its own meaning
     * @param trace   where {@code -v} writes each request and its status, or null
     */
    OrbitClient(HttpClient http, String baseUrl, String token, boolean session, Duration timeout, PrintWriter trace) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.token = token;
        this.session = session;
        this.timeout = timeout;
        this.trace = trace;
    }

    String baseUrl() {
        return baseUrl;
    }

    JsonNode get(String path) {
        return call("GET", path, null);
    }

    JsonNode get(String path, Map<String, ?> query) {
        return call("GET", path + query(query), null);
    }

    JsonNode post(String path, Object body) {
        return call("POST", path, body);
    }

    JsonNode put(String path, Object body) {
        return call("PUT", path, body);
    }

    JsonNode patch(String path, Object body) {
        return call("PATCH", path, body);
    }

    JsonNode delete(String path) {
        return call("DELETE", path, null);
    }

    /** Sends the request; a 2xx reply's body, else a {@link CliException} explaining the error. */
    JsonNode call(String method, String path, Object body) {
        Reply reply = send(method, path, body, Map.of());
        if (!reply.ok()) {
            throw error(reply);
        }
        return reply.body();
    }

    /** Sends the request and returns the reply whatever its status; only transport failures throw. */
    Reply send(String method, String path, Object body, Map<String, String> headers) {
        URI uri = URI.create(baseUrl + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        headers.forEach(request::header);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofString(json(body), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        long started = System.nanoTime();
        if (trace != null) {
            trace.println("> " + method + " " + baseUrl + KeyMask.inPath(path)); // -v output is pasted into bug reports
            trace.flush();
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("connection timed out", e);
        } catch (HttpTimeoutException e) {
            throw new CliException("the server at " + baseUrl + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw unreachable(reason(e), e);
        } catch (IOException e) {
            throw unreachable(reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for " + baseUrl, e);
        }
        if (trace != null) {
            trace.println("< " + response.statusCode() + " (" + (System.nanoTime() - started) / 1_000_000 + " ms)");
            trace.flush();
        }
        return new Reply(response.statusCode(), parse(response));
    }

    private JsonNode parse(HttpResponse<String> response) {
        String text = response.body();
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CliException("unexpected reply from " + baseUrl + " (HTTP " + response.statusCode()
                    + ", not JSON); is it an ORBIT server?");
        }
    }

    /** The exception for an error reply: what it means for the user, with the server's detail. */
    CliException error(Reply reply) {
        String detail = detail(reply.body());
        String message = switch (reply.status()) {
            case 401 -> !session ? detail
                    : token == null ? notLoggedIn(baseUrl)
                    : "session expired or no longer valid: run orbit login";
            case 403 -> "permission denied: " + detail;
            case 422 -> "invalid request: " + detail;
            default -> detail;
        };
        return new ApiException(reply.status(), detail, message);
    }

    /** What to say when there is no login for the server at {@code url}. */
    static String notLoggedIn(String url) {
        return "not logged in to " + url + ": run orbit login";
    }

    /** The {@code detail} of an error body as one line: a text, or FastAPI's list of problems. */
    static String detail(JsonNode body) {
        JsonNode detail = body.path("detail");
        if (detail.isTextual()) {
            return detail.textValue();
        }
        if (detail.isArray()) {
            StringJoiner problems = new StringJoiner("; ");
            for (JsonNode problem : detail) {
                StringJoiner loc = new StringJoiner(".");
                problem.path("loc").forEach(part -> loc.add(part.asText()));
                problems.add(loc + ": " + problem.path("msg").asText());
            }
            return problems.toString();
        }
        return detail.isMissingNode() ? "no detail given" : detail.toString();
    }

    private CliException unreachable(String reason, Exception cause) {
        return new CliException("cannot reach the server at " + baseUrl + " (" + reason + ")", cause);
    }

    private static String reason(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** {@code ?a=1&b=x}, leaving out null values; empty when nothing is left. */
    static String query(Map<String, ?> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "");
        query.setEmptyValue("");
        new LinkedHashMap<>(parameters).forEach((name, value) -> {
            if (value != null) {
                query.add(name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    /** One path segment (an id or a raw key), percent-encoded except for unreserved characters. */
    static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body as JSON", e);
        }
    }
}
