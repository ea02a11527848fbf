package dev.orbit.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.config.ConfigLoader;
import dev.orbit.config.OrbitConfig;
import dev.orbit.db.DatabaseServiceFactory.Backend;
import dev.orbit.db.mongo.MongoOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseUrlTest {
    private static final Path HOME = Path.of("/srv/orbit");

    private static MongoOptions mongo(String url) {
        DatabaseUrl.Database database = DatabaseUrl.parseDatabase(url, HOME);
        return ((Backend.Mongo) database.backend()).options();
    }

    @Test
    void aRelativeSqlitePathIsUnderOrbitHomeAndAnAbsoluteOneStaysWhereItIs() {
        DatabaseUrl relative = DatabaseUrl.parse("sqlite:data/../orbit.db", HOME);
        DatabaseUrl absolute = DatabaseUrl.parse("sqlite:/var/lib/orbit/orbit.db", HOME);

        assertThat(relative).isInstanceOfSatisfying(DatabaseUrl.Database.class, d -> {
            assertThat(((Backend.Sqlite) d.backend()).options().databasePath()).isEqualTo(Path.of("/srv/orbit/orbit.db"));
            assertThat(d.display()).isEqualTo("sqlite:/srv/orbit/orbit.db");
        });
        assertThat(((Backend.Sqlite) ((DatabaseUrl.Database) absolute).backend()).options().databasePath())
                .isEqualTo(Path.of("/var/lib/orbit/orbit.db"));
    }

    @Test
    void aMongoUrlNamesItsDatabaseInThePathAndDefaultsToOrbit() {
        assertThat(mongo("mongodb://db.example:27017/gateway").database()).isEqualTo("gateway");
        assertThat(mongo("mongodb://db.example:27017").database()).isEqualTo("orbit");
        assertThat(mongo("mongodb://db.example/?replicaSet=rs0").database()).isEqualTo("orbit");
        assertThat(mongo("mongodb://db.example/gateway").uri()).isEqualTo("mongodb://db.example/gateway");
    }

    @Test
    void aMongoUrlKeepsItsOwnServerSelectionTimeoutElseFiveSeconds() {
        assertThat(mongo("mongodb://db.example/?serverSelectionTimeoutMS=250").serverSelectionTimeout())
                .isEqualTo(Duration.ofMillis(250));
        assertThat(mongo("mongodb://db.example/").serverSelectionTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theDisplayOfAMongoUrlMasksThePassword() {
        DatabaseUrl.Database database = DatabaseUrl.parseDatabase("mongodb://orbit:s3cr%40t-pw@db.example:27017/gw", HOME);
        assertThat(database.display()).isEqualTo("mongodb://orbit:****@db.example:27017/gw");
    }

    @Test
    void anExportUrlNamesADirectoryAndIsNotADatabase() {
        assertThat(DatabaseUrl.parse("export:backups/monday", HOME)).isEqualTo(
                new DatabaseUrl.Export(Path.of("/srv/orbit/backups/monday"), "export:/srv/orbit/backups/monday"));
        assertThatThrownBy(() -> DatabaseUrl.parseDatabase("export:backups/monday", HOME))
                .isInstanceOf(AdminException.class)
                .hasMessage("export:/srv/orbit/backups/monday is an export, not a database: use sqlite:PATH or mongodb://...");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '~', value = {
            "mysql://root:hunter22@db/orbit => unrecognized database URL 'mysql://root:****@db/orbit': expected sqlite:PATH,"
                    + " mongodb://[USER:PASSWORD@]HOST[:PORT][/DATABASE], mongodb+srv://...,"
                    + " postgresql://[USER:PASSWORD@]HOST[:PORT][/DATABASE][?sslmode=...] or export:DIR",
            "postgresql://orbit:hunter22@db/orbit?sslmode=sometimes => invalid PostgreSQL URL"
                    + " postgresql://orbit:****@db/orbit?sslmode=sometimes: postgres sslmode must be one of allow,"
                    + " disable, prefer, require, verify-ca, verify-full, got 'sometimes'",
            "sqlite: => 'sqlite:' names no file: expected sqlite:PATH",
            "mongodb://orbit:hunter22@db.example/a$b => invalid MongoDB URL mongodb://orbit:****@db.example/a$b: database"
                    + " name 'a$b' must be 1 to 63 characters, none of / \\ . \" $ * < > : | ? or space",
            "orbit.db => unrecognized database URL 'orbit.db': expected sqlite:PATH,"
                    + " mongodb://[USER:PASSWORD@]HOST[:PORT][/DATABASE], mongodb+srv://...,"
                    + " postgresql://[USER:PASSWORD@]HOST[:PORT][/DATABASE][?sslmode=...] or export:DIR"})
    void aBadUrlIsOneLineThatNeverShowsThePassword(String url, String message) {
        assertThatThrownBy(() -> DatabaseUrl.parse(url, HOME)).isInstanceOf(AdminException.class).hasMessage(message);
    }

    @Test
    void aPostgresUrlNamesItsServerDatabaseAndSslModeAndShowsNoPassword() {
        DatabaseUrl.Database database = DatabaseUrl.parseDatabase(
                "postgresql://orbit:s3cr%40t@db.example:6543/gw?sslmode=require", HOME);
        assertThat(database.display()).isEqualTo("postgresql://orbit:****@db.example:6543/gw?sslmode=require");
        assertThat(database.backend().location()).isEqualTo("postgresql://orbit@db.example:6543/gw");
        var options = ((dev.orbit.db.DatabaseServiceFactory.Backend.Postgres) database.backend()).options();
        assertThat(options.password()).isEqualTo("s3cr@t");
        assertThat(options.sslmode()).isEqualTo("require");
        assertThat(options.toString()).doesNotContain("s3cr");
        assertThat(DatabaseUrl.parseDatabase("postgres://db", HOME).backend().location())
                .isEqualTo("postgresql://db:5432/orbit");
    }

    @Test
    void aMongoUrlTheDriverRefusesIsReportedWithoutItsPassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mongodb://orbit:hunter22@db.example:notaport/orbit", HOME))
                .isInstanceOf(AdminException.class)
                .hasMessageStartingWith("invalid MongoDB URL mongodb://orbit:****@db.example:notaport/orbit: ")
                .hasMessageNotContaining("hunter22");
    }

    @Test
    void theDbOptionPutsItsBackendIntoTheConfigurationAndLeavesItAloneWithoutIt() throws Exception {
        OrbitConfig config = ConfigLoader.parse("internal_services: {backend: {type: sqlite}}", "test.yaml",
                Map.of("ORBIT_HOME", HOME.toString()));
        DatabaseOption without = new DatabaseOption();
        DatabaseOption with = new DatabaseOption();
        new picocli.CommandLine(new Object() {
            @picocli.CommandLine.Mixin
            DatabaseOption db = with;
        }).parseArgs("--db", "sqlite:other.db");

        assertThat(without.applyTo(config, Map.of("ORBIT_HOME", HOME.toString()))).isSameAs(config);
        OrbitConfig moved = with.applyTo(config, Map.of("ORBIT_HOME", HOME.toString()));
        assertThat(moved.backend().location()).isEqualTo("sqlite:/srv/orbit/other.db");
        assertThat(moved.general()).isEqualTo(config.general());
        assertThatThrownBy(() -> DatabaseOption.backendOf("export:x", Map.of())).isInstanceOf(AdminException.class);
    }
}
