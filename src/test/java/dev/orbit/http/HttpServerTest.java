package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.StartupException;
import dev.orbit.config.GeneralConfig;
import dev.orbit.config.HttpConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.ForbiddenResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {
    private static final GeneralConfig LOCAL = new GeneralConfig("127.0.0.1", 0, GeneralConfig.SessionId.DEFAULT);
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpServer start(Consumer<RoutesConfig> routes) {
        server = HttpServer.start(LOCAL, new HttpConfig(2048), "orbit_", routes);
        return server;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)));
    }

    @Test
    void aRouteAnswersJson() throws Exception {
        start(routes -> routes.get("/health", ctx -> ctx.json(java.util.Map.of("status", "ok"))));

        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void anUnknownRouteIsA404WithDetailNotFound() throws Exception {
        start(routes -> { });

        HttpResponse<String> response = get("/no/such/route");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"detail\":\"Not Found\"}");
    }

    @Test
    void aThrownHttpResponseKeepsItsStatusAndMessageAsDetail() throws Exception {
        start(routes -> routes.get("/secret", ctx -> {
            throw new ForbiddenResponse("Admin access required");
        }));

        HttpResponse<String> response = get("/secret");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"detail\":\"Admin access required\"}");
    }

    @Test
    void anUnexpectedErrorIsA500ThatRevealsNothing() throws Exception {
        start(routes -> routes.get("/boom", ctx -> {
            throw new IllegalStateException("db password is hunter2");
        }));

        HttpResponse<String> response = get("/boom");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"detail\":\"Internal Server Error\"}");
    }

    @Test
    void aServerSideIoFailureIsStillA500WithItsStackTraceLogged() throws Exception {
        start(routes -> routes.get("/disk", ctx -> {
            throw new java.io.UncheckedIOException(new IOException("disk full"));
        }));
        try (LogCapture log = new LogCapture(ErrorMapper.class.getName())) {
            HttpResponse<String> response = get("/disk");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).isEqualTo("{\"detail\":\"Internal Server Error\"}");
            assertThat(log.lines()).singleElement().asString().contains("unhandled error", "disk full", "\tat ");
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413() throws Exception {
        start(routes -> routes.post("/echo", ctx -> ctx.result(ctx.body())));

        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(4096))));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).startsWith("{\"detail\":");
    }

    @Test
    void handlersRunOnVirtualThreads() throws Exception {
        start(routes -> routes.get("/thread", ctx -> ctx.result(String.valueOf(Thread.currentThread().isVirtual()))));

        assertThat(get("/thread").body()).isEqualTo("true");
    }

    @Test
    void aJsonReplyLargerThanTheCopyBufferArrivesWholeWithItsLength() throws Exception {
        String text = "é0123456789".repeat(3 * ReplyEncoding.COPY_BUFFER_BYTES / 10);
        start(routes -> routes.get("/big", ctx -> ctx.json(java.util.Map.of("text", text))));

        HttpResponse<String> response = get("/big");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"text\":\"" + text + "\"}");
        assertThat(response.headers().firstValueAsLong("Content-Length"))
                .hasValue(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void aLargeJsonReplyIsGzippedForAClientThatAcceptsIt() throws Exception {
        String text = "chat ".repeat(1000);
        start(routes -> routes.get("/big", ctx -> ctx.json(java.util.Map.of("text", text))));

        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/big")).header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (var unzipped = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(response.body()))) {
            assertThat(new String(unzipped.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("{\"text\":\"" + text + "\"}");
        }
    }

    @Test
    void smallRepliesAndCompressedTypesAreNotGzipped() throws Exception {
        byte[] archive = new byte[4096];
        start(routes -> {
            routes.get("/small", ctx -> ctx.json(java.util.Map.of("status", "ok")));
            routes.get("/archive", ctx -> ctx.contentType("application/zip").result(archive));
        });

        for (String path : new String[] {"/small", "/archive"}) {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + path)).header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(response.headers().firstValue("Content-Encoding")).as(path).isEmpty();
        }
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/archive"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(archive);
    }

    @Test
    void aPortInUseIsOneClearStartupError() {
        start(routes -> { });
        GeneralConfig taken = LOCAL.withPort(server.port());

        assertThatThrownBy(() -> HttpServer.start(taken, HttpConfig.DEFAULT, "orbit_", routes -> { }))
                .isInstanceOf(StartupException.class)
                .hasMessage("cannot listen on 127.0.0.1:" + server.port() + ": the port is already in use"
                        + " (is ORBIT already running? choose another with --port or general.port)");
    }

    @Test
    void anAddressThisMachineDoesNotHaveIsOneClearStartupError() {
        // 203.0.113.0/24 is reserved for documentation, so no interface has it.
        GeneralConfig foreign = new GeneralConfig("203.0.113.7", 0, GeneralConfig.SessionId.DEFAULT);

        assertThatThrownBy(() -> HttpServer.start(foreign, HttpConfig.DEFAULT, "orbit_", routes -> { }))
                .isInstanceOf(StartupException.class)
                .hasMessage("cannot listen on 203.0.113.7:0: Cannot assign requested address");
    }
}
