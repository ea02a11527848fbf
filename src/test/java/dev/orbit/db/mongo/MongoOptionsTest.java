package dev.orbit.db.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link MongoOptions} decides the database of a URI exactly as the driver reads it. */
class MongoOptionsTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "mongodb://db.example/mydb",
        "mongodb://db.example:27017/mydb?authSource=admin&replicaSet=rs0",
        "mongodb://a.example:1,b.example:2/mydb",
        "mongodb://orbit:p%2Fss%3Fw@db.example/mydb",
        "mongodb://db.example/my%2Ddb",
        "mongodb://db.example/mydb.chat_history",
        "mongodb://db.example/",
        "mongodb://db.example",
        "mongodb://db.example/?replicaSet=rs0",
        "mongodb://orbit:secret@db.example"})
    void theDatabaseIsTheOneTheDriverReadsFromTheUriElseTheGivenOne(String uri) {
        String driver = new ConnectionString(uri).getDatabase();
        MongoOptions options = new MongoOptions(uri, null, 0, "fallback", null, null, Map.of(), Duration.ofSeconds(1));

        assertThat(options.database()).isEqualTo(driver == null ? "fallback" : driver);
    }
}
