package dev.orbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.config.ConfigLoader;
import dev.orbit.config.OrbitConfig;
import dev.orbit.db.DatabaseConnectionException;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Filters;
import dev.orbit.db.OrbitSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTest {
    @TempDir
    Path home;

    private OrbitConfig local(String yaml) {
        return ConfigLoader.parse("general: {host: 127.0.0.1, port: 0}\n" + yaml, "config.yaml",
                Map.of("ORBIT_HOME", home.toString()));
    }

    private static int get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static OrbitConfig config(String yaml) {
        return ConfigLoader.parse(yaml, "config.yaml", Map.of("ORBIT_HOME", "/srv/orbit"));
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsAStartupErrorNamingTheSqliteFile() {
        DatabaseConnectionException cause = new DatabaseConnectionException("unable to open database file", null);

        assertThatThrownBy(() -> Gateway.start(config(""), backend -> {
            throw cause;
        }))
                .isInstanceOf(StartupException.class)
                .hasMessage("cannot open the database (sqlite /srv/orbit/orbit.db): unable to open database file")
                .hasCause(cause);
    }

    @Test
    void aMongodbStartupErrorNamesTheServerButNotThePassword() {
        OrbitConfig config = config("internal_services: {backend: {type: mongodb},"
                + " mongodb: {host: db.local, username: orbit, password: hunter2}}");

        assertThatThrownBy(() -> Gateway.start(config, backend -> {
            throw new DatabaseConnectionException("timed out after 5000 ms", null);
        }))
                .hasMessageContaining("mongodb MongoOptions[db.local:27017, database=orbit]")
                .hasMessageNotContaining("hunter2");
        assertThat(Gateway.describe(config.backend())).doesNotContain("hunter2");
    }

    @Test
    void aStartedGatewayServesTheApiOnItsDatabaseAndCloseStopsHttpThenTheDatabase() throws Exception {
        AtomicReference<DatabaseService> opened = new AtomicReference<>();
        Gateway gateway = Gateway.start(local("auth: {default_admin_password: admin-Secret1}"), backend -> {
            opened.set(Gateway.openDatabase(backend));
            return opened.get();
        });
        int port = gateway.port();
        try {
            assertThat(get(port, "/health")).isEqualTo(200);
            assertThat(get(port, "/auth/me")).isEqualTo(401);
            assertThat(opened.get().count(OrbitSchema.USERS, Filters.eq("username", "admin"))).isEqualTo(1);
            assertThat(gateway.database().describe()).contains(home.resolve("orbit.db").toString());
        } finally {
            gateway.close();
        }

        assertThat(gateway.isClosed()).isTrue();
        assertThatThrownBy(() -> get(port, "/health")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> opened.get().count(OrbitSchema.USERS, Filters.all())).isInstanceOf(DatabaseException.class);
        gateway.close(); // idempotent
    }

    @Test
    void aGatewayThatCannotListenOpensNoDatabaseAndClosesOneItWasGiven() throws Exception {
        AtomicReference<DatabaseService> opened = new AtomicReference<>();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            OrbitConfig config = local("auth: {default_admin_password: admin-Secret1}\n").withGeneral(
                    local("").general().withPort(taken.getLocalPort()));

            // The address is checked first: no database is opened, no admin created.
            assertThatThrownBy(() -> Gateway.start(config, backend -> {
                opened.set(Gateway.openDatabase(backend));
                return opened.get();
            })).isInstanceOf(StartupException.class).hasMessageContaining("the port is already in use");
            assertThat(opened.get()).isNull();

            // Should the port be taken between the check and the bind, the services handed over are closed.
            DatabaseService database = Gateway.openDatabase(config.backend());
            assertThatThrownBy(() -> Gateway.start(config, dev.orbit.service.ServiceFactory.fromConfig(config, database),
                    System.out)).isInstanceOf(StartupException.class).hasMessageContaining("the port is already in use");
            assertThatThrownBy(() -> database.count(OrbitSchema.USERS, Filters.all()))
                    .isInstanceOf(DatabaseException.class);
        }
    }
}
