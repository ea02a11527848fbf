package dev.orbit.observability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The process as the reference's dashboard shows it: CPU in percent of the machine, resident memory, the disk
 * the gateway runs on, uptime. Each read is a system call or a small {@code /proc} file, done only when asked.
 */
final class ProcessStats {
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE = 4096;

    private final Instant started = Instant.now();

    /** The process's CPU use over the machine's recent past, 0 to 100; 0 when the JVM cannot tell. */
    double cpuPercent() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            return load < 0 ? 0 : load * 100;
        }
        return 0;
    }

    /** Resident memory in bytes ({@code /proc/self/statm}), else the heap in use. */
    long residentBytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE;
        } catch (IOException | RuntimeException e) {
            Runtime runtime = Runtime.getRuntime();
            return runtime.totalMemory() - runtime.freeMemory();
        }
    }

    /** The machine's physical memory in bytes; 0 when unknown. */
    long totalMemoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** How full the file system of the working directory is, in percent. */
    double diskUsagePercent() {
        try {
            var store = Files.getFileStore(Path.of("").toAbsolutePath());
            long total = store.getTotalSpace();
            return total <= 0 ? 0 : 100.0 * (total - store.getUnallocatedSpace()) / total;
        } catch (IOException e) {
            return 0;
        }
    }

    Duration uptime() {
        return Duration.between(started, Instant.now());
    }
}
