package dev.orbit.inference;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.io.Content;

/**
 * What the HTTP client tells of one exchange: the reply's headers with its body as a {@link Content.Source}, which
 * the caller's own thread reads (what has arrived is parsed on that thread, without a hand-off to it per piece),
 * and the exchange's end. Its methods may run on the client's selector thread, which serves every connection of the
 * client (the transport is non-blocking, see {@link ProviderFactory}), as well as on others: they must never block.
 */
final class ReplyListener implements Response.Listener {
    private final CompletableFuture<Response> headers = new CompletableFuture<>();
    private final CountDownLatch completed = new CountDownLatch(1);
    private volatile Content.Source body;

    @Override
    public void onContentSource(Response response, Content.Source source) {
        body = source;
        headers.complete(response);
    }

    @Override
    public void onComplete(Result result) {
        // An exchange that ended without headers is a failure, whatever it says. Looked at first, so that the usual
        // end (the headers came) builds no exception: that was one stack trace filled per provider call.
        if (!headers.isDone()) {
            headers.completeExceptionally(result.isFailed() ? result.getFailure()
                    : new IllegalStateException("the exchange ended without a reply"));
        }
        completed.countDown();
    }

    /** The reply's headers; the exchange's failure before them is the cause of the {@link ExecutionException}. */
    Response headers() throws InterruptedException, ExecutionException {
        return headers.get();
    }

    /** The reply's body; only after {@link #headers}. */
    Content.Source body() {
        return body;
    }

    /** Waits up to {@code timeout} for the exchange to complete; false if it did not. */
    boolean awaitCompletion(long timeout, TimeUnit unit) throws InterruptedException {
        return completed.await(timeout, unit);
    }
}
