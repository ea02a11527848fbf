package dev.orbit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a real server-sent event stream from the gateway, line by line as it arrives. */
record EventReader(int status, String contentType, List<String> data) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static EventReader read(Orbit.Call call) {
        try {
            HttpResponse<Stream<String>> response = callClient(call);
            List<String> data = new ArrayList<>();
            try (Stream<String> lines = response.body()) {
                lines.filter(line -> line.startsWith("data: ")).forEach(line -> data.add(line.substring(6)));
            }
            return new EventReader(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<Stream<String>> callClient(Orbit.Call call) throws IOException, InterruptedException {
        return call.orbit().client().send(call.request(), HttpResponse.BodyHandlers.ofLines());
    }

    /** The events' data parsed as JSON ({@code [DONE]} is left out). */
    List<JsonNode> json() {
        return data.stream().filter(d -> !d.equals("[DONE]")).map(d -> {
            try {
                return JSON.readTree(d);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }
}
