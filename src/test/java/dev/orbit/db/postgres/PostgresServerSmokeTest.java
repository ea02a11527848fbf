package dev.orbit.db.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class PostgresServerSmokeTest {
    @Test
    void theSharedServerAnswersOnAFreshDatabase() throws Exception {
        PostgresOptions options = PostgresTestServer.newDatabase();
        try (Connection c = PostgresTestServer.connect(options);
             ResultSet rows = c.createStatement().executeQuery("SELECT current_database(), version()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(options.database());
            System.out.println(rows.getString(2));
        }
    }
}
