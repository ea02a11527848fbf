package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orbit.config.OrbitHome;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a command: the global options resolved against {@code ~/.orbit/config.json} and the environment,
 * and the things commands use (the HTTP client, the output, the prompter, the token store).
 */
final class Cli implements AutoCloseable {
    static final String SERVER_URL_VARIABLE = "ORBIT_SERVER_URL";

    /** A resolved value and where it came from, for {@code orbit config effective}. */
    record Resolved(String value, String source) {
    }

    private final CliEnvironment environment;
    private final GlobalOptions globals;
    private final PrintWriter out;
    private final PrintWriter err;
    private final CliSettings settings;
    private final TokenStore tokens;
    private HttpClient http;
    private Resolved serverUrl;
    private Output output;

    Cli(CliEnvironment environment, GlobalOptions globals, PrintWriter out, PrintWriter err) {
        this.environment = environment;
        this.globals = globals;
        this.out = out;
        this.err = err;
        Path orbitDir = environment.userHome().resolve(".orbit");
        this.settings = new CliSettings(orbitDir);
        this.tokens = new TokenStore(orbitDir, message -> {
            err.println(message);
            err.flush();
        });
    }

    CliEnvironment environment() {
        return environment;
    }

    Map<String, String> env() {
        return environment.env();
    }

    GlobalOptions globals() {
        return globals;
    }

    CliSettings settings() {
        return settings;
    }

    TokenStore tokens() {
        return tokens;
    }

    PrintWriter err() {
        return err;
    }

    /** The project root the server runs in ({@code ORBIT_HOME}, else the current directory). */
    Path orbitHome() {
        return OrbitHome.resolve(env());
    }

    /** The server configuration: the command's {@code --config}, else the global one, else the default file. */
    Path serverConfig(Path commandOption) {
        if (commandOption != null) {
            return commandOption;
        }
        return globals.configFile != null ? globals.configFile : orbitHome().resolve("config/config.yaml");
    }

    /** The server URL: {@code --server-url}, then {@code server.default_url}, then ORBIT_SERVER_URL, then the default. */
    String serverUrl() {
        return resolveServerUrl().value();
    }

    Resolved resolveServerUrl() {
        if (serverUrl == null) {
            if (globals.serverUrl != null) {
                serverUrl = new Resolved(normalizeUrl(globals.serverUrl, "--server-url"), "--server-url");
            } else {
                Optional<JsonNode> stored = settings.stored(CliSettings.SERVER_URL);
                String variable = env().get(SERVER_URL_VARIABLE);
                if (stored.isPresent()) {
                    serverUrl = new Resolved(normalizeUrl(stored.get().asText(), settings.file() + ": "
                            + CliSettings.SERVER_URL), settings.file().toString());
                } else if (variable != null && !variable.isBlank()) {
                    serverUrl = new Resolved(normalizeUrl(variable, SERVER_URL_VARIABLE), "env " + SERVER_URL_VARIABLE);
                } else {
                    serverUrl = new Resolved(CliSettings.DEFAULT_SERVER_URL, "default");
                }
            }
        }
        return serverUrl;
    }

    /** The request timeout ({@code server.timeout} seconds). */
    Duration timeout() {
        return Duration.ofSeconds(settings.value(CliSettings.TIMEOUT).map(JsonNode::asInt).filter(s -> s > 0).orElse(30));
    }

    /** A client for routes that need a session: it sends the stored token if it was issued by this server. */
    OrbitClient client() {
        return client(serverUrl());
    }

    /**
     * Fails, as a 401 would, when there is no login for the server: commands call it before asking for passwords
     * or confirmations that would be wasted (an expired session still shows only when the server answers).
     */
    void requireLogin() {
        String url = serverUrl();
        if (tokens.tokenFor(url).isEmpty()) {
            throw new CliException(OrbitClient.notLoggedIn(url));
        }
    }

    /** A client for routes that need a session at this server, sending the stored token if it issued it. */
    OrbitClient client(String url) {
        return new OrbitClient(http(), url, tokens.tokenFor(url).orElse(null), true, timeout(), trace());
    }

    /** A client for the server a stored login belongs to, sending its token. */
    OrbitClient client(TokenStore.Login login) {
        return new OrbitClient(http(), login.serverUrl(), login.token(), true, timeout(), trace());
    }

    /** A client that sends no token (login, health). */
    OrbitClient anonymous() {
        return new OrbitClient(http(), serverUrl(), null, false, timeout(), trace());
    }

    /** A client for another address (the server {@code orbit start} launched), without a token. */
    OrbitClient anonymous(String url, Duration timeout) {
        return new OrbitClient(http(), url, null, false, timeout, trace());
    }

    Output output() {
        if (output == null) {
            OutputFormat format = globals.output != null ? globals.output
                    : settings.value(CliSettings.FORMAT).map(v -> OutputFormat.valueOf(v.asText().toUpperCase(Locale.ROOT)))
                    .orElse(OutputFormat.TABLE);
            boolean color = !globals.noColor && environment.colorOutput() && !env().containsKey("NO_COLOR")
                    && settings.value(CliSettings.COLOR).map(JsonNode::asBoolean).orElse(true);
            output = new Output(out, err, format, color);
        }
        return output;
    }

    Prompter prompter() {
        return new Prompter(environment.terminal(), environment.stdin(), err);
    }

    private PrintWriter trace() {
        return globals.verbose ? err : null;
    }

    private HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(Math.min(10, timeout().toSeconds())))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
    }

    /**
     * An {@code http(s)://host[:port][/path]} URL without a trailing slash, port 1-65535; {@code what} names its
     * source in errors. Every server URL (option, environment, settings file, {@code config set}) passes here, so
     * none that the HTTP client would refuse later gets through.
     */
    static String normalizeUrl(String text, String what) {
        String url = text.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw new CliException(what + ": expected a URL like http://localhost:3000, got '" + text + "'");
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new CliException(what + ": expected a URL like http://localhost:3000 with a port between 1 and"
                    + " 65535, got '" + text + "'");
        }
        return url;
    }
}
