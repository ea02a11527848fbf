package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One {@code orbit} invocation's exit status and what it printed. */
record Run(int status, String out, String err) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Standard output parsed as one JSON document (fails the test if it is not valid JSON). */
    JsonNode json() {
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + out, e);
        }
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- out:\n" + out + "--- err:\n" + err;
    }
}
