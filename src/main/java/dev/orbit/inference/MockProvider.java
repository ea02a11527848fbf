package dev.orbit.inference;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A provider that calls nothing, for tests, benchmarks and offline demos: it answers {@code "Echo: "} followed
 * by the last user message of the request (or {@code "Echo: (no user message)"}), the same reply for the same
 * input every time. Streamed, the reply comes in word-sized pieces (each word with the whitespace before it:
 * {@code "Echo:"}, {@code " hello"}, {@code " world"}) whose concatenation is the reply; nothing sleeps.
 * Options (temperature, max_tokens) are ignored; usage is estimated at four characters per token.
 *
 * <p>Choose it with {@code inference_provider: mock} on an adapter, or {@code ORBIT_INFERENCE_PROVIDER=mock}
 * for the shipped {@code simple-chat}.
 */
public final class MockProvider implements InferenceProvider {
    public static final String NAME = "mock";
    public static final String PREFIX = "Echo: ";
    static final String NO_USER_MESSAGE = "(no user message)";
    // Between a non-space and a space: each piece but the first starts with the whitespace before its word.
    private static final Pattern PIECES = Pattern.compile("(?<=\\S)(?=\\s)");

    @Override
    public String name() {
        return NAME;
    }

    /** The reply to these messages. */
    public static String reply(List<ChatMessage> messages) {
        return PREFIX + messages.reversed().stream()
                .filter(m -> m.role().equals("user"))
                .map(ChatMessage::content)
                .findFirst()
                .orElse(NO_USER_MESSAGE);
    }

    /** The pieces a streamed reply comes in: each word with the whitespace before it. */
    public static List<String> pieces(String reply) {
        return List.of(PIECES.split(reply));
    }

    @Override
    public Completion complete(InferenceRequest request) {
        String reply = reply(request.messages());
        return Completion.complete(reply, Usage.estimate(request.messages(), reply));
    }

    @Override
    public Completion stream(InferenceRequest request, StreamSink sink) {
        Objects.requireNonNull(sink, "sink");
        StringBuilder sent = new StringBuilder();
        for (String piece : pieces(reply(request.messages()))) {
            sent.append(piece);
            if (!sink.onDelta(piece)) {
                return Completion.cancelled(sent.toString(), Usage.estimate(request.messages(), sent.toString()));
            }
        }
        return Completion.complete(sent.toString(), Usage.estimate(request.messages(), sent.toString()));
    }
}
