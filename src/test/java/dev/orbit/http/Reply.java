package dev.orbit.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpHeaders;

/** An HTTP response as the tests read it. */
record Reply(int status, String body, HttpHeaders headers) {
    private static final ObjectMapper JSON = new ObjectMapper();

    JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON (status " + status + "): " + body, e);
        }
    }

    /** The {@code detail} of an error body as text (a 422 list is returned as its JSON). */
    String detail() {
        JsonNode detail = json().get("detail");
        if (detail == null) {
            throw new AssertionError("no detail in " + body);
        }
        return detail.isTextual() ? detail.textValue() : detail.toString();
    }

    String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
