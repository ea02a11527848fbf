package dev.orbit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints why every skipped test was skipped, in the build output (surefire otherwise only counts skips and
 * keeps the reasons in its XML reports): a disabled test, or one whose assumption failed (e.g. MongoDB
 * transactions on the in-process server). Registered in {@code META-INF/services}, so it runs in every build.
 */
public final class SkipReasons implements TestExecutionListener {
    private final PrintStream out;
    private TestPlan plan;

    public SkipReasons() {
        this(System.out);
    }

    SkipReasons(PrintStream out) {
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        print(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            print(test, result.getThrowable().map(Throwable::getMessage).orElse(null));
        }
    }

    private void print(TestIdentifier test, String reason) {
        out.println("SKIPPED " + path(test) + ": " + (reason == null || reason.isBlank() ? "(no reason given)" : reason));
    }

    /** "GroupCommitWriterTest > on SQLITE > a test()": the display names from the class down. */
    private String path(TestIdentifier test) {
        List<String> names = new ArrayList<>();
        for (Optional<TestIdentifier> at = Optional.of(test); at.isPresent() && at.get().getParentId().isPresent();
             at = plan == null ? Optional.empty() : plan.getParent(at.get())) {
            names.addFirst(at.get().getDisplayName());
        }
        return String.join(" > ", names);
    }
}
