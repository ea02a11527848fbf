package dev.orbit.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Requests written byte for byte on a socket, for what {@link java.net.http.HttpClient} refuses to send: broken
 * chunked encodings, bodies shorter than announced, raw bytes in headers and paths.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** Sends the bytes, half-closes the connection when asked, and returns the whole answer as text. */
    static String send(Orbit orbit, byte[] request, boolean halfClose) {
        try (Socket socket = new Socket("127.0.0.1", orbit.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (SocketTimeoutException e) {
                // the server kept the connection open: what arrived is the answer
            }
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #send} of text encoded as UTF-8, without half-closing. */
    static String send(Orbit orbit, String request) {
        return send(orbit, request.getBytes(StandardCharsets.UTF_8), false);
    }

    /** The status code of a raw answer. */
    static int status(String answer) {
        return Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
    }

    /** The body of a raw answer (after the blank line). */
    static String body(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        return end < 0 ? "" : answer.substring(end + 4);
    }

    /** The value of a header of a raw answer (case-insensitive name), or null. */
    static String header(String answer, String name) {
        int end = answer.indexOf("\r\n\r\n");
        for (String line : answer.substring(0, end < 0 ? answer.length() : end).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }
}
