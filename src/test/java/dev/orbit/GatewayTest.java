package dev.orbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.config.ConfigLoader;
import dev.orbit.config.OrbitConfig;
import dev.orbit.db.DatabaseConnectionException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayTest {
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
}
