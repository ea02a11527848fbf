package dev.orbit.http;

import static dev.orbit.http.Json.object;

import dev.orbit.service.Feedback;
import dev.orbit.service.FeedbackService;
import dev.orbit.service.ValidatedApiKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code /api/feedback}: the chat app's thumbs up/down and comments on assistant messages ({@link FeedbackService}). */
final class FeedbackRoutes {
    private final FeedbackService feedback;
    private final ClientKeys keys;
    private final JsonBodies bodies;

    FeedbackRoutes(FeedbackService feedback, ClientKeys keys, JsonBodies bodies) {
        this.feedback = feedback;
        this.keys = keys;
        this.bodies = bodies;
    }

    /**
     * Also under {@code /feedback}: the reference chat app's proxy strips its {@code /api} prefix from every path
     * and puts it back only for {@code /files} and {@code /threads}.
     */
    void register(RoutesConfig routes) {
        for (String base : new String[] {"/api/feedback", "/feedback"}) {
            routes.post(base, this::vote);
            routes.get(base + "/{session_id}", this::ofSession);
        }
    }

    private void vote(Context ctx) {
        ValidatedApiKey key = keys.headerOrBearerKey(ctx);
        JsonBody body = bodies.read(ctx);
        FeedbackService.Vote vote = new FeedbackService.Vote(body.requiredString("session_id"),
                body.requiredString("message_id"), body.requiredString("feedback_type"), body.optionalString("comment"),
                ChatPipeline.userIdHeader(ctx), key.key().adapterName());
        Feedback result = feedback.vote(vote, key.fingerprint());
        ctx.json(object("message_id", result.messageId(), "feedback_type", result.feedbackType(),
                "comment", result.comment(), "action", result.action()));
    }

    private void ofSession(Context ctx) {
        ValidatedApiKey key = keys.headerOrBearerKey(ctx);
        ctx.json(object("feedbacks", feedback.ofSession(ctx.pathParam("session_id"), key.fingerprint()).stream()
                .map(f -> object("message_id", f.messageId(), "feedback_type", f.feedbackType(), "comment", f.comment()))
                .toList()));
    }
}
