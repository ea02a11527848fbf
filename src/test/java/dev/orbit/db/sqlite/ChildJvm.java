package dev.orbit.db.sqlite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code main} class of the test classpath running in its own JVM (same java binary, same classpath):
 * its stdout collected line by line, its stderr kept in a file, its stdin open for commands.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path stderr;
    private final PrintStream stdin;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.stdin = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.reader = Thread.ofPlatform().daemon().name("child-stdout-" + process.pid()).start(this::readStdout);
    }

    static ChildJvm start(Path workDir, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Xmx128m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile(workDir, mainClass.getSimpleName(), ".stderr");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ChildJvm(process, stderr);
    }

    long pid() {
        return process.pid();
    }

    /** Waits for a line of stdout matching the predicate; fails naming what was seen when the time is up. */
    String awaitLine(Predicate<String> wanted, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    throw new AssertionError("child " + pid() + " printed no expected line within " + limit.toMillis()
                            + " ms (alive " + process.isAlive() + "); stdout tail " + tail(lines) + "; stderr: "
                            + stderrText());
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 100_000_000L))));
            }
        }
    }

    /** Waits until at least {@code n} stdout lines match. */
    List<String> awaitLines(Predicate<String> wanted, int n, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lines) {
            while (true) {
                List<String> matching = lines.stream().filter(wanted).toList();
                if (matching.size() >= n) {
                    return matching;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    throw new AssertionError("child " + pid() + " printed " + matching.size() + " of " + n
                            + " expected lines (alive " + process.isAlive() + "); stderr: " + stderrText());
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 100_000_000L))));
            }
        }
    }

    /** Every stdout line read so far (after the process ended: every line it printed). */
    List<String> stdout() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    void send(String line) {
        stdin.println(line);
    }

    /** Waits for the exit and for stdout to be read to its end; returns the exit code. */
    int waitFor(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child " + pid() + " still running after " + limit.toMillis() + " ms; stderr: "
                    + stderrText());
        }
        reader.join(limit.toMillis());
        return process.exitValue();
    }

    /** SIGKILL on Linux: no shutdown hooks, no finally blocks, no flushing. */
    void kill() {
        process.destroyForcibly();
    }

    String stderrText() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // The process was killed mid-line; what was read so far stays.
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    private static String tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 5), lines.size()).toString();
    }
}
