package dev.orbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** {@link SkipReasons} on a small test class of its own, run by a launcher inside this test. */
class SkipReasonsTest {
    @Test
    void everySkipIsPrintedWithItsReasonAndNothingElseIs() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SkipReasons listener = new SkipReasons(new PrintStream(printed, true, StandardCharsets.UTF_8));

        // Without the registered listeners, or the global SkipReasons would print the sample's skips to the build.
        LauncherConfig alone = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
        LauncherFactory.create(alone).execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Sample.class)).build(), listener);

        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactlyInAnyOrder(
                "SKIPPED SkipReasonsTest$Sample > assumption(): Assumption failed: no server for this",
                "SKIPPED SkipReasonsTest$Sample > disabled(): not on this machine");
    }

    /** Run only by the launcher above (a nested static class is not picked up by surefire on its own). */
    static class Sample {
        @Test
        void runs() {
        }

        @Test
        void assumption() {
            Assumptions.assumeTrue(false, "no server for this");
        }

        @Test
        @Disabled("not on this machine")
        void disabled() {
        }
    }
}
