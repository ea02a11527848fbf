package dev.orbit.http;

import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.HttpConfig;
import java.util.List;

/**
 * How Javalin writes a reply body: gzip for a client that accepts it once a body reaches Javalin's threshold (as
 * Javalin's default), at less CPU and garbage per reply than Javalin's defaults. Measured on the chat turn
 * (bin/bench-http, flight recording): the two defaults below cost about 4% of the request's Java CPU time and a
 * third of all it allocated.
 */
final class ReplyEncoding {
    /**
     * What Javalin copies a reply body through, allocated anew for every reply. Its default is Jetty's output buffer
     * size, 32 KiB, zeroed and thrown away for a reply of a few hundred bytes; Jetty aggregates what it is given in
     * its own buffer anyway, so a large body only takes a few more turns of the copy loop. 2 KiB holds a chat reply
     * whole; at 8 KiB the copy buffer was still an eighth of all a chat turn allocated (flight recording).
     */
    static final int COPY_BUFFER_BYTES = 2048;

    /**
     * The type of our JSON replies (as Javalin sets it), compressible: found in this list at once. Javalin otherwise
     * scans its whole list of excluded types (images, archives, ...) with a case-insensitive substring search for
     * every reply, before it even looks at the size. (Event streams write to the servlet's stream, not through this.)
     */
    private static final List<String> COMPRESSIBLE = List.of("application/json");

    private ReplyEncoding() {
    }

    static void configure(HttpConfig http) {
        http.responseBufferSize = COPY_BUFFER_BYTES;
        CompressionStrategy gzip = new CompressionStrategy(null, new Gzip());
        gzip.setAllowedMimeTypes(COMPRESSIBLE);
        http.compressionStrategy = gzip;
    }
}
