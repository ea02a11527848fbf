package dev.orbit.admin;

import static dev.orbit.admin.AdminTests.dump;
import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Migrator} between two SQLite files (the backends' differences are the round-trip test's business). */
class MigratorTest {
    private static final String SOURCE = "sqlite:source.db";
    private static final String TARGET = "sqlite:target.db";
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path home;

    private DatabaseService source;
    private DatabaseService target;

    @BeforeEach
    void openAndFillTheSource() {
        source = AdminTests.open(SOURCE, home);
        target = AdminTests.open(TARGET, home);
        for (String name : List.of("alice", "bob", "carol")) {
            source.insertOne(OrbitSchema.USERS, user(name));
        }
        List<Document> messages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            messages.add(Document.of("session_id", "s-" + (i % 3), "role", i % 2 == 0 ? "user" : "assistant",
                    "content", "message " + i, "timestamp", T.plusMillis(i), "message_hash", "h" + i,
                    "metadata", Map.of("i", (long) i)));
        }
        source.insertMany(OrbitSchema.CHAT_HISTORY, messages);
        Instant now = Instant.now();
        source.insertMany(OrbitSchema.SESSIONS, List.of(session("live", now.plus(Duration.ofDays(1))),
                session("expired-1", now.minus(Duration.ofDays(1))), session("expired-2", now.minusSeconds(5))));
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    private static Document user(String name) {
        return Document.of("username", name, "password", "pbkdf2_sha256$1000$x$y", "role", "user", "active", true,
                "created_at", T);
    }

    private static Document session(String token, Instant expires) {
        return Document.of("token", token, "user_id", "u", "username", "alice", "expires", expires, "created_at", T);
    }

    private List<Migrator.Copied> migrate(Migrator.Mode mode, int batchSize, Progress progress) {
        return new Migrator(new DatabaseSource(source, SOURCE, List.of()), target, TARGET, new Migrator.Settings(mode, batchSize),
                progress, Clock.systemUTC()).run();
    }

    private static Migrator.Copied of(List<Migrator.Copied> copied, String collection) {
        return copied.stream().filter(c -> c.collection().equals(collection)).findFirst().orElseThrow();
    }

    /** Records every progress call as "collection done/total (already there)". */
    private static final class Recorder implements Progress {
        final List<String> batches = new ArrayList<>();
        final List<String> finished = new ArrayList<>();
        Consumer<String> afterBatch = c -> { };
        Consumer<String> afterFinish = c -> { };

        @Override
        public void batch(String collection, long done, long total, long alreadyThere) {
            batches.add(ProgressPrinter.line(collection, done, total, alreadyThere));
            afterBatch.accept(collection);
        }

        @Override
        public void finished(String collection, long done, long total, long alreadyThere) {
            finished.add(ProgressPrinter.line(collection, done, total, alreadyThere));
            afterFinish.accept(collection);
        }
    }

    @Test
    void everyCollectionIsCopiedWholeInBatchesOfTheGivenSize() {
        Recorder progress = new Recorder();

        List<Migrator.Copied> copied = migrate(Migrator.Mode.EMPTY_TARGET_ONLY, 7, progress);

        assertThat(dump(target)).isEqualTo(dump(source));
        assertThat(progress.batches).filteredOn(line -> line.startsWith("chat_history "))
                .containsExactly("chat_history 7/20", "chat_history 14/20", "chat_history 20/20");
        assertThat(progress.finished).containsExactly("users 3/3", "sessions 3/3", "api_keys 0/0", "system_prompts 0/0",
                "chat_history 20/20", "chat_sessions 0/0", "feedback 0/0", "conversation_threads 0/0",
                "user_blacklist 0/0", "system_state 0/0", "audit_admin_logs 0/0", "audit_logs 0/0", "usage_rollups 0/0",
                "rate_counters 0/0");
        assertThat(of(copied, "chat_history")).isEqualTo(new Migrator.Copied("chat_history", 20, 0, 20));
    }

    @Test
    void aTargetThatHoldsDocumentsIsRefusedAndLeftAsItWas() {
        target.insertOne(OrbitSchema.USERS, user("someone-else"));
        target.insertOne(OrbitSchema.SYSTEM_PROMPTS, Document.of("name", "p", "prompt", "x", "version", "1",
                "created_at", T, "updated_at", T));
        var before = dump(target);

        assertThatThrownBy(() -> migrate(Migrator.Mode.EMPTY_TARGET_ONLY, 100, Progress.NONE))
                .isInstanceOf(AdminException.class)
                .hasMessage("the target sqlite:target.db is not empty (users 1, system_prompts 1): use --force to replace"
                        + " its contents, or --resume to continue an interrupted copy");
        assertThat(dump(target)).isEqualTo(before);
    }

    @Test
    void forceEmptiesTheTargetFirstEvenWhereItsDocumentsWouldCollide() {
        target.insertOne(OrbitSchema.USERS, user("alice")); // same username, another id
        target.insertOne(OrbitSchema.SYSTEM_PROMPTS, Document.of("name", "p", "prompt", "x", "version", "1",
                "created_at", T, "updated_at", T));

        migrate(Migrator.Mode.REPLACE, 100, Progress.NONE);

        assertThat(dump(target)).isEqualTo(dump(source));
    }

    @Test
    void forceRefusesToEmptyATargetThatIsTheSourceUnderAnotherName() {
        var before = dump(source);

        assertThatThrownBy(() -> new Migrator(new DatabaseSource(source, SOURCE, List.of()), source, "sqlite:alias.db",
                new Migrator.Settings(Migrator.Mode.REPLACE, 100), Progress.NONE, Clock.systemUTC()).run())
                .isInstanceOf(AdminException.class)
                .hasMessage("the target sqlite:alias.db is the source sqlite:source.db under another name: refusing to"
                        + " empty it");
        assertThat(dump(source)).isEqualTo(before);
    }

    @Test
    void resumeFinishesAnInterruptedCopyCopyingEachDocumentOnceAndIsSafeToRepeat() {
        RuntimeException interruption = new IllegalStateException("connection lost");
        Recorder dying = new Recorder();
        dying.afterBatch = collection -> {
            if (dying.batches.contains("chat_history 10/20")) {
                throw interruption;
            }
        };
        assertThatThrownBy(() -> migrate(Migrator.Mode.EMPTY_TARGET_ONLY, 5, dying)).isSameAs(interruption);
        assertThat(target.count(OrbitSchema.CHAT_HISTORY, all())).isEqualTo(10);
        assertThatThrownBy(() -> migrate(Migrator.Mode.EMPTY_TARGET_ONLY, 5, Progress.NONE))
                .hasMessageContaining("is not empty (users 3, sessions 3, chat_history 10)");

        Recorder progress = new Recorder();
        List<Migrator.Copied> resumed = migrate(Migrator.Mode.RESUME, 5, progress);

        assertThat(dump(target)).isEqualTo(dump(source));
        assertThat(of(resumed, "users")).isEqualTo(new Migrator.Copied("users", 0, 3, 3));
        assertThat(of(resumed, "chat_history")).isEqualTo(new Migrator.Copied("chat_history", 10, 10, 20));
        assertThat(progress.finished).contains("chat_history 20/20 (10 already there)");

        List<Migrator.Copied> again = migrate(Migrator.Mode.RESUME, 5, Progress.NONE);
        assertThat(again).allSatisfy(c -> assertThat(c.copied()).isZero());
        assertThat(dump(target)).isEqualTo(dump(source));
    }

    @Test
    void resumeFillsGapsWhereverTheyAre() {
        migrate(Migrator.Mode.EMPTY_TARGET_ONLY, 100, Progress.NONE);
        List<Object> gaps = new ArrayList<>();
        source.scan(OrbitSchema.CHAT_HISTORY, 3, batch -> gaps.add(batch.getFirst().id()));
        target.deleteMany(OrbitSchema.CHAT_HISTORY, in("_id", gaps));
        target.deleteOne(OrbitSchema.USERS, eq("username", "bob"));

        List<Migrator.Copied> resumed = migrate(Migrator.Mode.RESUME, 4, Progress.NONE);

        assertThat(of(resumed, "chat_history").copied()).isEqualTo(gaps.size());
        assertThat(of(resumed, "users").copied()).isEqualTo(1);
        assertThat(dump(target)).isEqualTo(dump(source));
    }

    @Test
    void aTargetHoldingMoreThanTheSourceFailsTheVerificationLoudly() {
        target.insertOne(OrbitSchema.USERS, user("dave"));

        assertThatThrownBy(() -> migrate(Migrator.Mode.RESUME, 100, Progress.NONE)).isInstanceOf(AdminException.class)
                .hasMessage("verification failed, the counts differ (users: source 3, target 4): was the source written"
                        + " to during the copy, or the target by someone else?");
    }

    @Test
    void documentsThatExpireMeanwhileDoNotFailTheVerificationButLiveOnesThatGoMissingDo() {
        Recorder ttlMonitor = new Recorder();
        // What MongoDB's TTL monitor or SQLite's sweeper may do to the target at any moment.
        ttlMonitor.afterFinish = collection -> {
            if (collection.equals(OrbitSchema.SESSIONS)) {
                target.deleteMany(OrbitSchema.SESSIONS, dev.orbit.db.Filters.lte("expires", Instant.now()));
            }
        };
        migrate(Migrator.Mode.EMPTY_TARGET_ONLY, 100, ttlMonitor);
        assertThat(target.count(OrbitSchema.SESSIONS, all())).isEqualTo(1);

        target.deleteMany(OrbitSchema.SESSIONS, all());
        Recorder thief = new Recorder();
        thief.afterFinish = collection -> {
            if (collection.equals(OrbitSchema.SESSIONS)) {
                target.deleteOne(OrbitSchema.SESSIONS, eq("token", "live"));
            }
        };
        assertThatThrownBy(() -> migrate(Migrator.Mode.RESUME, 100, thief))
                .hasMessageStartingWith("verification failed, the counts differ (sessions: source 1, target 0)");
    }

    @Test
    void aDocumentTheTargetRefusesStopsTheCopyNamingTheBatchAndHowToContinue() {
        target.insertOne(OrbitSchema.USERS, user("bob")); // another id, same unique username

        assertThatThrownBy(() -> migrate(Migrator.Mode.RESUME, 2, Progress.NONE)).isInstanceOf(AdminException.class)
                .hasMessageStartingWith("users: copying documents ")
                .hasMessageContaining(" into sqlite:target.db failed: ")
                .hasMessageEndingWith("(what was copied before stays; fix the cause and run again with --resume)");
    }
}
