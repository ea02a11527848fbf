package dev.orbit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code orbit start} leaves under {@code $ORBIT_HOME/logs/}: the pid file, the {@link LaunchRecord} (mode
 * 600), the server's console output {@code orbit.out} (mode 600: it holds a generated admin password; the server's
 * log is the rolling file of {@code logging.handlers.file}, {@code orbit.log} here by default) and the copy of the
 * jar the server runs from (so rebuilding {@code target/orbit.jar} cannot pull it from under a running server).
 */
final class ServerFiles {
    private final Path dir;

    ServerFiles(Path orbitHome) {
        this.dir = orbitHome.resolve("logs");
    }

    Path dir() {
        return dir;
    }

    Path pidFile() {
        return dir.resolve("orbit.pid");
    }

    /** What start launched and with which options ({@link LaunchRecord}). */
    Path launchFile() {
        return dir.resolve("orbit.start.json");
    }

    /**
     * What the server prints rather than logs: the generated admin password at a first start, a one-line start-up
     * failure, a JVM crash. A few lines per start; kept apart from the log so that {@code /admin/logs/tail} never
     * shows the password.
     */
    Path console() {
        return dir.resolve("orbit.out");
    }

    Path jarCopy() {
        return dir.resolve("orbit-server.jar");
    }

    /** The pid in the pid file, if there is a readable one. */
    OptionalLong pid() {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(pidFile()).strip()));
        } catch (NoSuchFileException | NumberFormatException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw FileProblems.cannot("read", pidFile(), e);
        }
    }

    /**
     * The server process of the pid file, if it is alive and is an {@code orbit serve} (a pid the system has
     * since given to another program is not ours to signal).
     */
    Optional<ProcessHandle> running() {
        OptionalLong pid = pid();
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive).filter(ServerFiles::looksLikeOrbit)
                .filter(this::startedWhenRecorded);
    }

    /** The server start launched, if it runs: its record, when the pid file's live process is the recorded one. */
    Optional<LaunchRecord> runningLaunch() {
        return running().flatMap(process -> launch().filter(launch -> launch.pid() == process.pid()));
    }

    /** What the last start launched, if it left a readable record. */
    Optional<LaunchRecord> launch() {
        try {
            return LaunchRecord.parse(Files.readString(launchFile()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw FileProblems.cannot("read", launchFile(), e);
        }
    }

    void writeLaunch(LaunchRecord launch) {
        PrivateFiles.write(launchFile(), launch.toJson());
    }

    /** Whether there is a pid file whose process is gone (or is something else now). */
    boolean stale() {
        return pid().isPresent() && running().isEmpty();
    }

    void writePid(long pid) {
        PrivateFiles.write(pidFile(), pid + "\n");
    }

    void deletePid() {
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw FileProblems.cannot("delete", pidFile(), e);
        }
    }

    /** The console output's size now, to read what a start adds to it. */
    long consoleSize() {
        try {
            return Files.exists(console()) ? Files.size(console()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The lines written to the console output after {@code offset}. */
    List<String> consoleSince(long offset) {
        try {
            byte[] bytes = Files.readAllBytes(console());
            int from = (int) Math.min(offset, bytes.length);
            String text = new String(Arrays.copyOfRange(bytes, from, bytes.length), StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : text.lines().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    // A pid the system gave to a new process after ours ended starts later than the one start recorded.
    boolean startedWhenRecorded(ProcessHandle process) {
        Optional<LaunchRecord> launch = launch().filter(l -> l.pid() == process.pid());
        java.util.OptionalLong ticks = ProcessStarts.ticks(process.pid());
        if (launch.isPresent() && launch.get().startTicks() != null && ticks.isPresent()) {
            return launch.get().startTicks() == ticks.getAsLong(); // exact, and immune to clock changes
        }
        Optional<java.time.Instant> recorded = launch.map(LaunchRecord::processStart);
        Optional<java.time.Instant> actual = process.info().startInstant();
        return recorded.isEmpty() || actual.isEmpty()
                || java.time.Duration.between(recorded.get(), actual.get()).abs().toMillis() < 1000;
    }

    private static boolean looksLikeOrbit(ProcessHandle process) {
        // Where the system does not tell (another user's process, some platforms), trust the pid file.
        return process.info().arguments().map(args -> Arrays.asList(args).contains("serve")).orElse(true);
    }
}
