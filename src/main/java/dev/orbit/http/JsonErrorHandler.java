package dev.orbit.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to requests it refuses before any route sees them (a malformed or ambiguous URI, headers too
 * large): the same {@code {"detail": ...}} shape and {@code X-Request-ID} as every other error, instead of an
 * HTML page. The detail is the status's reason phrase, or what is wrong with the path when it has bad
 * percent-encoding; nothing of the request is echoed.
 */
final class JsonErrorHandler extends ErrorHandler {
    static final String MALFORMED_PATH = "Malformed percent-encoding in the URL path";

    // Jetty writes error bodies only for GET, POST and HEAD by default (for HTML error pages); an API client
    // sending PUT, PATCH, DELETE or OPTIONS needs the detail as much.
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = ("{\"detail\":\"" + detail(request, code) + "\"}").getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put(RequestIds.HEADER, RequestIds.idFor(request.getHeaders().get(RequestIds.HEADER)));
        // Jetty drops the connection after refusing a request this early; saying so keeps clients from reusing it.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static String detail(Request request, int code) {
        String path = request.getHttpURI().getPath();
        if (code == HttpStatus.BAD_REQUEST_400 && path != null && PercentDecoding.isMalformed(path, false)) {
            return MALFORMED_PATH;
        }
        String reason = HttpStatus.getMessage(code);
        return reason == null ? "Error" : reason;
    }
}
