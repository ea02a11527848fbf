package dev.orbit.service;

import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.OrbitSchema.SYSTEM_STATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link ServerPause} on one backend (a subclass per backend). */
abstract class ServerPauseTest extends ServiceTestBase {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    void aGatewayIsNotPausedUntilSomeonePausesIt() {
        ServerPause pause = new ServerPause(db(), clock);
        assertThat(pause.isPaused()).isFalse();
        pause.pause("user 'ops'");
        assertThat(pause.isPaused()).isTrue();
        Document stored = db().findOne(SYSTEM_STATE, eq("_id", "server_paused")).orElseThrow();
        assertThat(stored.getBoolean("value", false)).isTrue();
        assertThat(stored.getString("updated_by")).isEqualTo("user 'ops'");
        assertThat(stored.getInstant("updated_at")).isEqualTo(clock.instant());
        pause.resume("user 'ops'");
        assertThat(pause.isPaused()).isFalse();
        pause.resume("user 'ops'"); // resuming a running gateway changes nothing, and says so by not failing
        assertThat(db().count(SYSTEM_STATE, dev.orbit.db.Filters.all())).isEqualTo(1);
    }

    @Test
    void anotherGatewayOnTheDatabaseSeesAPauseAndAResumeWithinTheBound() throws InterruptedException {
        ServerPause here = new ServerPause(db(), clock);
        ServerPause there = new ServerPause(anotherHandle(), clock);
        assertThat(there.isPaused()).isFalse(); // read, and kept for up to MAX_AGE
        here.pause("a");
        awaitPaused(there, true);
        here.resume("a");
        awaitPaused(there, false);
    }

    @Test
    void aRestartedGatewayStaysPaused() {
        new ServerPause(db(), clock).pause("a");
        assertThat(new ServerPause(anotherHandle(), clock).isPaused()).isTrue();
    }

    @Test
    void aFlagThatCannotBeReadCountsAsPaused() {
        DatabaseService closed = openDatabase(tempDir);
        closed.close();
        assertThat(new ServerPause(closed, clock).isPaused()).isTrue();
    }

    private static void awaitPaused(ServerPause pause, boolean expected) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (pause.isPaused() != expected) {
            assertThat(System.nanoTime()).as("seen within " + DEADLINE).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
