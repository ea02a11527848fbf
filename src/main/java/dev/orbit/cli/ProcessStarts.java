package dev.orbit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * When a process started, as clock ticks since boot (field 22 of Linux's {@code /proc/<pid>/stat}). Unlike
 * {@link ProcessHandle.Info#startInstant()}, which adds them to a boot time derived from the wall clock, it does
 * not move when the clock is set (NTP step, VM resume), so a server is still recognised after a clock jump.
 */
final class ProcessStarts {
    private static final int START_TIME_FIELD = 22;

    private ProcessStarts() {
    }

    /** The start in ticks, or empty where there is no {@code /proc} (other systems, a process gone). */
    static OptionalLong ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Field 2 is the command name in parentheses and may hold spaces or ')': count from the last ')'.
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return OptionalLong.of(Long.parseLong(rest[START_TIME_FIELD - 3]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
