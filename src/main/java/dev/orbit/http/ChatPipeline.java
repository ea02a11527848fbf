package dev.orbit.http;

import dev.orbit.inference.Adapter;
import dev.orbit.inference.AdapterRegistry;
import dev.orbit.inference.ChatMessage;
import dev.orbit.inference.Completion;
import dev.orbit.inference.InferenceException;
import dev.orbit.inference.StreamSink;
import dev.orbit.inference.Usage;
import dev.orbit.service.ApiKeyService;
import dev.orbit.service.AuthService;
import dev.orbit.service.CallerIdentity;
import dev.orbit.service.ChatHistoryService;
import dev.orbit.service.ChatTurn;
import dev.orbit.service.ContextMessage;
import dev.orbit.service.NewMessage;
import dev.orbit.service.ServiceException;
import dev.orbit.service.TurnHistory;
import dev.orbit.service.ValidatedApiKey;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat turn, shared by {@code /v1/chat} and {@code /v1/chat/completions}: {@link #prepare} checks the key,
 * the session and its owner and builds the conversation (every refusal happens here, before the model is
 * asked); {@link #complete} or {@link #stream} asks the adapter's provider; {@link #store} writes the user and
 * assistant messages together, only after a whole reply.
 */
final class ChatPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ChatPipeline.class);
    static final String DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant.";
    static final String STOPPED = "The chat turn was stopped";
    private static final int MAX_USER_ID_LENGTH = 256;
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 256;

    private final ApiKeyService apiKeys;
    private final ChatHistoryService history;
    private final AdapterRegistry adapters;
    private final ClientKeys keys;
    private final RunningTurns running;
    private final ChatLimits limits;
    private final String sessionHeader;
    private final boolean sessionRequired;
    private final ProviderTiming providerTiming;

    ChatPipeline(ApiKeyService apiKeys, AuthService auth, ChatHistoryService history, AdapterRegistry adapters,
                 Access access, RunningTurns running, ChatLimits limits, String sessionHeader,
                 boolean sessionRequired, ProviderTiming providerTiming) {
        this.apiKeys = apiKeys;
        this.history = history;
        this.adapters = adapters;
        this.keys = new ClientKeys(apiKeys, auth, access);
        this.running = running;
        this.limits = limits;
        this.sessionHeader = sessionHeader;
        this.sessionRequired = sessionRequired;
        this.providerTiming = providerTiming;
    }

    /** A turn ready for the model; {@code sessionId} is null when the request named none and none is required. */
    record Turn(ValidatedApiKey key, Adapter adapter, String sessionId, String userId, String userMessage,
                List<ChatMessage> conversation, ChatRequest request, String clientIp, String requestId,
                String idempotencyKey, ChatTurn replay, TurnHistory.SessionEnd sessionEnd, long startNanos) {
        boolean keepsHistory() {
            return sessionId != null;
        }
    }

    /**
     * Checks everything before the model is asked: the API key and its adapter (401), the caller against the
     * key's allow-lists (403), the session id (400), the body (422, or 400 without a user message), the
     * session's owner (403; a new session is claimed for this key), then reads the history within the budget.
     */
    Turn prepare(Context ctx, Supplier<ChatRequest> body) {
        return prepare(ctx, body, false);
    }

    /** {@link #prepare(Context, Supplier)}; {@code openAi} for the OpenAI-compatible route ({@link ClientKeys#chat}). */
    Turn prepare(Context ctx, Supplier<ChatRequest> body, boolean openAi) {
        long start = System.nanoTime();
        ClientKeys.Credentials credentials = keys.chat(ctx, openAi);
        String userId = credentials.user() != null ? credentials.user().id() : userIdHeader(ctx);
        String email = credentials.user() != null ? credentials.user().email() : null;
        ValidatedApiKey key = apiKeys.validate(credentials.apiKey(), new CallerIdentity(userId, email), ctx.ip());
        limits.admit(ctx, key); // quotas and rate limits: 429 here, before any other work
        Adapter adapter = adapters.findEnabled(key.key().adapterName())
                .orElseThrow(() -> new ServiceException.Unauthorized(ApiKeyService.INVALID_KEY));
        String sessionId = sessionId(ctx);
        String idempotencyKey = idempotencyKey(ctx);
        ChatRequest request = body.get();
        List<ChatMessage> conversation = new ArrayList<>();
        conversation.add(ChatMessage.system(key.systemPrompt() != null ? key.systemPrompt().prompt()
                : DEFAULT_SYSTEM_PROMPT));
        // A retry of a stored turn is answered from the store: the model is not asked again.
        ChatTurn replay = null;
        TurnHistory.SessionEnd sessionEnd = null;
        if (sessionId != null && history.settings().enabled()) {
            // Refuses another key's or user's session (403) before the model is asked, and claims a new (or emptied)
            // one, so a second key racing for it is refused here and not after its model has answered. The newest
            // messages that fit the adapter's model (its context window's history budget) and
            // chat_history.default_limit.
            TurnHistory past = history.forTurn(sessionId, key.fingerprint(), userId, adapter.historyTokens(),
                    history.settings().defaultLimit(), idempotencyKey);
            for (ContextMessage message : past.context()) {
                conversation.add(new ChatMessage(message.role(), message.content()));
            }
            replay = past.stored().orElse(null);
            sessionEnd = past.end();
        } else if (!history.settings().enabled()) {
            sessionId = null;
        }
        conversation.add(ChatMessage.user(request.userMessage()));
        return new Turn(key, adapter, sessionId, userId, request.userMessage(), List.copyOf(conversation), request,
                ctx.ip(), RequestIds.of(ctx), idempotencyKey, replay, sessionEnd, start);
    }

    /**
     * The whole reply; a failing or slow provider is a 502 or 504 through the error mapper, and a turn stopped by
     * {@code POST /v1/chat/stop} a 409 (nothing is stored).
     */
    Completion complete(Turn turn) {
        if (turn.replay() != null) {
            return replayed(turn);
        }
        try (RunningTurns.Running registered = register(turn)) {
            return running.run(registered, providerTiming.timed(turn,
                    () -> turn.adapter().complete(turn.conversation(), turn.request().options())));
        }
    }

    /** A whole reply and the turn stored with it (null without a session). */
    record Finished(Completion completion, ChatTurn stored) {
    }

    /**
     * {@link #complete} then {@link #store}, with the call's audit record however it ends: a provider failure
     * (rethrown: 502 or 504), a stop (409, nothing stored), a reply that could not be stored (rethrown), or success.
     */
    Finished completeAndStore(Turn turn, ChatAudit audit, String callType) {
        Completion completion;
        try {
            completion = complete(turn);
        } catch (InferenceException e) {
            audit.failed(turn, e, callType);
            throw e;
        }
        if (completion.cancelled()) {
            audit.completed(turn, completion, callType);
            throw new ServiceException.Conflict(STOPPED);
        }
        ChatTurn stored;
        try {
            stored = store(turn, completion);
        } catch (RuntimeException e) {
            audit.notStored(turn, completion, callType);
            throw e;
        }
        audit.completed(turn, completion, callType);
        return new Finished(completion, stored);
    }

    /**
     * The reply piece by piece into {@code sink}, after {@code started} (which sends the stream's first event once
     * the turn can be stopped); the returned completion is cancelled when the sink stopped it (the client went
     * away) or the turn was stopped. Provider failures propagate as {@link InferenceException}.
     */
    Completion stream(Turn turn, Runnable started, StreamSink sink) {
        if (turn.replay() != null) {
            started.run();
            Completion stored = replayed(turn);
            boolean delivered = stored.text().isEmpty() || sink.onDelta(stored.text());
            return delivered ? stored : Completion.cancelled("", stored.usage());
        }
        try (RunningTurns.Running registered = register(turn)) {
            started.run();
            return running.run(registered, providerTiming.timed(turn, () -> turn.adapter().stream(turn.conversation(),
                    turn.request().options(), registered.guard(sink))));
        }
    }

    private RunningTurns.Running register(Turn turn) {
        return running.start(turn.sessionId(), turn.requestId(), turn.key().fingerprint().sha256());
    }

    /** The stored reply of a retried turn, as one piece. */
    private static Completion replayed(Turn turn) {
        String text = turn.replay().assistant().content();
        return Completion.complete(text, Usage.estimate(turn.conversation(), text));
    }

    /**
     * Stores the user message and the whole reply together, or nothing for a cancelled reply or a request
     * without session; returns the stored turn or null.
     */
    ChatTurn store(Turn turn, Completion completion) {
        if (!turn.keepsHistory() || completion.cancelled()) {
            return null;
        }
        Map<String, Object> common = Map.of("adapter_name", turn.adapter().name(), "model", turn.adapter().model(),
                "client_ip", turn.clientIp() == null ? "" : turn.clientIp(), "request_id", turn.requestId());
        Map<String, Object> assistant = new LinkedHashMap<>(common);
        assistant.put("provider", turn.adapter().providerName());
        assistant.put("processing_time", processingSeconds(turn));
        assistant.put("prompt_tokens", completion.usage().promptTokens());
        assistant.put("completion_tokens", completion.usage().completionTokens());
        return history.addTurn(turn.sessionId(), turn.key().fingerprint(), turn.userId(),
                new NewMessage("user", turn.userMessage(), common, null),
                new NewMessage("assistant", completion.text(), assistant, completion.usage().completionTokens()),
                turn.idempotencyKey(), turn.sessionEnd());
    }

    /** What the reply's {@code metadata} says about the turn. */
    Map<String, Object> metadata(Turn turn) {
        return Json.object("adapter_name", turn.adapter().name(), "model", turn.adapter().model(),
                "session_id", turn.sessionId(), "user_id", turn.userId(), "request_id", turn.requestId(),
                "processing_time", processingSeconds(turn));
    }

    static double processingSeconds(Turn turn) {
        return Math.round((System.nanoTime() - turn.startNanos()) / 1e5) / 1e4;
    }

    /** Logs a provider failure with the request id; the client sees only a generic message. */
    static void logProviderFailure(Turn turn, InferenceException e) {
        LOG.warn("request {}: adapter {} failed: {}", turn.requestId(), turn.adapter().name(), e.getMessage());
    }

    private String sessionId(Context ctx) {
        String sessionId = Headers.text(ctx, sessionHeader);
        if (sessionId == null || sessionId.isBlank()) {
            if (sessionRequired) {
                throw new ServiceException.InvalidInput("Session ID is required. Please provide the " + sessionHeader
                        + " header.");
            }
            return null;
        }
        return sessionId.strip();
    }

    /**
     * The client's {@code Idempotency-Key}: a retry with the same key in the same session stores nothing new and
     * gets the first reply. Only this header makes a retry; identical messages are new turns.
     */
    private static String idempotencyKey(Context ctx) {
        String value = Headers.text(ctx, IDEMPOTENCY_HEADER);
        if (value == null) {
            return null;
        }
        String key = value.strip();
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH
                || key.chars().anyMatch(Character::isISOControl)) {
            throw new ServiceException.InvalidInput(IDEMPOTENCY_HEADER + " must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " characters without control characters");
        }
        return key;
    }

    /** The {@code X-User-ID} header (stripped), or null; 400 when too long or holding control characters. */
    static String userIdHeader(Context ctx) {
        String userId = Headers.text(ctx, "X-User-ID");
        if (userId == null || userId.isBlank()) {
            return null;
        }
        if (userId.length() > MAX_USER_ID_LENGTH || userId.chars().anyMatch(Character::isISOControl)) {
            throw new ServiceException.InvalidInput("X-User-ID must be at most " + MAX_USER_ID_LENGTH
                    + " characters without control characters");
        }
        return userId.strip();
    }
}
