/**
 * The MongoDB backend: {@link dev.orbit.db.mongo.MongoDatabaseService} on the synchronous driver, with the
 * semantics every backend shares (see {@code dev.orbit.db.DatabaseContractTest}).
 *
 * <p>Tests run the real driver over TCP against the in-process wire-protocol server
 * ({@code de.bwaldvogel:mongo-java-server}), which a test run starts by itself. To run them against a real
 * MongoDB instead, name it in {@code ORBIT_TEST_MONGODB_URI}; each test gets a fresh database there, dropped
 * afterwards. A replica set (one member is enough) also runs the transaction tests:
 * <pre>
 * docker run -d -p 27017:27017 mongo:8 --replSet rs0
 * docker exec $(docker ps -lq) mongosh --quiet --eval 'rs.initiate()'
 * ORBIT_TEST_MONGODB_URI='mongodb://localhost:27017/?directConnection=true' ./mvnw verify
 * </pre>
 * On the in-process server a few contract cases are skipped, each with its reason printed: it ignores
 * partial indexes, wraps int64 around on {@code $inc} overflow, and has no transactions.
 */
package dev.orbit.db.mongo;
