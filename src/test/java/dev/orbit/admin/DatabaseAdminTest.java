package dev.orbit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.Gateway;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.mongo.MongoOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link DatabaseAdmin} names a configured database, which may carry credentials from the YAML. */
class DatabaseAdminTest {
    private final Redactor redactor = new Redactor();
    private final DatabaseAdmin admin = new DatabaseAdmin(Gateway::openDatabase, redactor, Clock.systemUTC());

    private static Backend.Mongo mongo(String uri, String host, String username, String password) {
        return new Backend.Mongo(new MongoOptions(uri, host, 27017, "gateway", username, password, Map.of(),
                Duration.ofSeconds(1)));
    }

    @Test
    void aConfiguredMongoDbWithHostAndCredentialsIsShownWithoutThePasswordWhichIsRememberedForRedaction() {
        DatabaseUrl.Database database = admin.configured(mongo(null, "db.example", "orbit", "p@ss word"));

        assertThat(database.display()).isEqualTo("mongodb://orbit:****@db.example:27017/gateway");
        assertThat(redactor.apply("login failed: p@ss word / p%40ss%20word")).isEqualTo("login failed: **** / ****");
    }

    @Test
    void aConfiguredMongoDbUriIsShownWithItsHostsAndTheConfiguredDatabaseWhenItNamesNone() {
        DatabaseUrl.Database database = admin.configured(mongo("mongodb://orbit:hunter22@a.example,b.example/",
                null, null, null));

        assertThat(database.display()).isEqualTo("mongodb://orbit:****@a.example,b.example/gateway");
        assertThat(redactor.apply("bad auth hunter22")).isEqualTo("bad auth ****");
    }

    @Test
    void aConfiguredMongoDbUriNamingADatabaseIsShownWithThatDatabase() {
        DatabaseUrl.Database database = admin.configured(mongo("mongodb://a.example/chats?authSource=admin",
                null, null, null));

        assertThat(database.display()).isEqualTo("mongodb://a.example/chats");
    }
}
