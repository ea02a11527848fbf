package dev.orbit.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orbit.json.SharedJsonBuffers;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Reads request bodies as JSON objects within limits: at most {@code maxBytes} (else 413, whether or not the
 * client announced the length) and within Jackson's parser limits: at most {@value #MAX_DEPTH} levels of nesting,
 * numbers, names and strings of bounded length (else 422 naming the limit). Anything that is not one JSON object
 * is a 422 in FastAPI's shape.
 */
final class JsonBodies {
    static final int MAX_DEPTH = 64;
    private static final ObjectMapper MAPPER = new ObjectMapper(SharedJsonBuffers.factoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build());

    private final long maxBytes;

    JsonBodies(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The body as a JSON object; an absent or empty body is 422 "Field required". */
    JsonBody read(Context ctx) {
        JsonBody body = readOptional(ctx);
        if (body == null) {
            throw RequestValidationException.missing(List.of("body"));
        }
        return body;
    }

    /** The body as a JSON object, or null when the request has no body at all (an empty object then serves). */
    JsonBody readOptional(Context ctx) {
        byte[] bytes = bytes(ctx);
        if (isBlank(bytes)) {
            return null;
        }
        JsonNode tree = parse(bytes);
        if (tree == null) {
            return null; // only whitespace, in an encoding the UTF-8 check above cannot see (UTF-16, UTF-32)
        }
        WellFormedStrings.require(tree);
        if (!(tree instanceof ObjectNode object)) {
            throw new RequestValidationException(List.of("body"), "Input should be a valid dictionary or object",
                    "model_attributes_type");
        }
        ctx.attribute(AdminAudit.BODY, object); // for the admin audit's allow-listed summary
        return new JsonBody(object);
    }

    /**
     * Whether the body is empty or only whitespace as {@link String#isBlank} sees it in UTF-8; a body that starts
     * (after ASCII whitespace) with a visible ASCII character, as every JSON object does, is not, without decoding.
     */
    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                continue;
            }
            if (b > ' ' && b < 0x7f) {
                return false;
            }
            break;
        }
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank();
    }

    private static JsonNode parse(byte[] bytes) {
        try (JsonParser parser = MAPPER.createParser(bytes)) {
            JsonNode tree = MAPPER.readTree(parser);
            // A body is one JSON value: anything after it ("{...} GARBAGE", "{...}{...}") is malformed, not ignored.
            if (parser.nextToken() != null) {
                throw new RequestValidationException(List.of("body", offset(parser.currentTokenLocation())),
                        "JSON decode error: Extra data after the JSON value", "json_invalid");
            }
            return tree;
        } catch (StreamConstraintsException e) {
            throw new RequestValidationException(List.of("body"), "JSON limit exceeded: " + limitHit(e),
                    "json_invalid");
        } catch (JsonProcessingException e) {
            throw new RequestValidationException(List.of("body", offset(e.getLocation())), "JSON decode error: "
                    + firstLine(e.getOriginalMessage()), "json_invalid");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a byte array: cannot happen
        }
    }

    // Jackson names the limit that was hit (nesting depth, number, name or string length) and then the Java
    // method that sets it: "Number value length (1001) exceeds the maximum allowed (1000, from `...`)".
    private static String limitHit(StreamConstraintsException e) {
        String message = firstLine(e.getOriginalMessage()).replaceFirst(", from `[^`]*`\\)", ")");
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    // Where in the body the problem is; the parser reads bytes, so it counts bytes, not characters.
    private static long offset(JsonLocation location) {
        return location == null ? 0 : Math.max(0, location.getByteOffset());
    }

    private byte[] bytes(Context ctx) {
        long announced = ctx.req().getContentLengthLong();
        if (announced > maxBytes) {
            throw tooLarge();
        }
        // One byte more than may be read tells a body that announced no length (chunked) and is too large; a body of
        // announced length is read into an array of its size, not through an 8 KiB buffer and a growing copy.
        int limit = (int) Math.min(announced >= 0 ? announced : maxBytes, Integer.MAX_VALUE - 16) + 1;
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(limit);
        } catch (IOException e) {
            throw new UnreadableBodyException(e);
        }
        if (body.length > maxBytes) {
            throw tooLarge();
        }
        return body;
    }

    private ContentTooLargeResponse tooLarge() {
        return new ContentTooLargeResponse("Request body too large: the limit is " + maxBytes + " bytes");
    }

    // Jackson's messages span lines and may quote the input at length; one short line is enough for a client.
    private static String firstLine(String message) {
        String line = message == null ? "malformed JSON" : message.strip().lines().findFirst().orElse("malformed JSON");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
