package dev.orbit.inference;

import java.util.List;

/**
 * Token counts of one call: the provider's when it reports them, otherwise estimated from the text.
 *
 * @param estimated true when at least one count is an estimate
 */
public record Usage(long promptTokens, long completionTokens, boolean estimated) {
    public Usage {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /** About four characters per token, the usual estimate when the provider reports no count. */
    public static long estimateTokens(String text) {
        return (text.length() + 3) / 4;
    }

    /** The estimated usage of a conversation and its reply. */
    public static Usage estimate(List<ChatMessage> prompt, String reply) {
        return new Usage(estimatePrompt(prompt), estimateTokens(reply), true);
    }

    /** The provider's counts where given (null where not), the rest estimated. */
    static Usage of(Long promptTokens, Long completionTokens, List<ChatMessage> prompt, String reply) {
        return new Usage(
                promptTokens != null ? promptTokens : estimatePrompt(prompt),
                completionTokens != null ? completionTokens : estimateTokens(reply),
                promptTokens == null || completionTokens == null);
    }

    private static long estimatePrompt(List<ChatMessage> prompt) {
        long tokens = 0;
        for (ChatMessage message : prompt) { // every turn, over the whole history sent: no stream
            tokens += estimateTokens(message.content());
        }
        return tokens;
    }
}
