package dev.orbit.db.mongo;

import dev.orbit.db.DatabaseContractTest;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Schema;
import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract suite against MongoDB: a fresh database for every test, on the in-process wire-protocol
 * server or on the real server named by {@code ORBIT_TEST_MONGODB_URI}. Transactions run only where the
 * server has them (a replica set); the few cases the in-process server cannot do are skipped there, with
 * the reason, and run against a real server.
 */
@ExtendWith(MongoContractTest.InProcessServerLimits.class)
class MongoContractTest extends DatabaseContractTest {
    @RegisterExtension
    static final MongoTestServer MONGO = new MongoTestServer();

    @Override
    protected DatabaseService openDatabase(Schema schema) {
        return new MongoDatabaseService(MONGO.newDatabase(), schema);
    }

    @Override
    protected boolean supportsTransactions() {
        return ((MongoDatabaseService) db).supportsTransactions();
    }

    /** Skips, on the in-process server only, the cases where it differs from MongoDB ({@code SkipReasons} prints why). */
    static final class InProcessServerLimits implements ExecutionCondition {
        private static final String NO_PARTIAL_INDEXES = "mongo-java-server ignores partialFilterExpression, so its"
                + " compound unique indexes also refuse documents lacking one of the fields (MongoDB does not)";
        private static final Map<String, String> LIMITS = Map.of(
                "UniqueIndexes.aCompoundUniqueIndexRefusesOnlyTheSameCombination", NO_PARTIAL_INDEXES,
                "OrbitCollections.chatHistoryRefusesTheSameMessageHashTwiceInASession", NO_PARTIAL_INDEXES,
                "UpdateOperators.incPastTheLongRangeFailsAndKeepsTheValue",
                "mongo-java-server wraps int64 around on $inc overflow (MongoDB refuses the update)");

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (!MongoTestServer.inProcess() || context.getTestMethod().isEmpty()) {
                return ConditionEvaluationResult.enabled("runs on every server");
            }
            Method test = context.getTestMethod().get();
            String reason = LIMITS.get(test.getDeclaringClass().getSimpleName() + "." + test.getName());
            if (reason == null) {
                return ConditionEvaluationResult.enabled("the in-process server can do this");
            }
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
