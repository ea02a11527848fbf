package dev.orbit.observability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The log files the gateway writes, for {@code /admin/logs/*}: the file Logback writes now and the ones it rolled
 * ({@code orbit.log.1}, ...). A file is only ever named by one of these names, never by a path a client sends, and a
 * tail reads at most {@value #MAX_TAIL_BYTES} bytes from the end however long the lines are.
 */
public final class LogFiles {
    /** The most a tail reads from the end of a file. */
    static final int MAX_TAIL_BYTES = 1 << 20;
    /** Longer lines are cut, so a tail's reply stays bounded. */
    static final int MAX_LINE_CHARS = 8192;
    private static final int BLOCK = 8192;
    private static final int MAX_ROLLED = 20;

    /** One log file: its name, size, last write, and whether it is the one being written. */
    public record LogFile(String name, long size, Instant updatedAt, boolean current) {
    }

    /** The last lines of one file. */
    public record Tail(Path file, Instant updatedAt, List<String> lines) {
    }

    private LogFiles() {
    }

    /** The file the process's logging writes now, if it writes one ({@link LogSetup}). */
    public static Optional<Path> active() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (var it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof FileAppender<ILoggingEvent> file && appender.isStarted() && file.getFile() != null) {
                return Optional.of(Path.of(file.getFile()).toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** The file being written and the rolled ones that exist, newest first. */
    public static List<LogFile> list(Path active) {
        List<LogFile> files = new ArrayList<>();
        for (int i = 0; i <= MAX_ROLLED; i++) {
            Path path = i == 0 ? active : active.resolveSibling(active.getFileName() + "." + i);
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                if (attributes.isRegularFile()) {
                    files.add(new LogFile(path.getFileName().toString(), attributes.size(),
                            attributes.lastModifiedTime().toInstant(), i == 0));
                }
            } catch (IOException e) {
                // not there (yet, or any more): not listed
            }
        }
        return files;
    }

    /** The listed file of this name (one of {@link #list}'s, nothing else), if there is one. */
    public static Optional<Path> named(Path active, String name) {
        return list(active).stream().filter(f -> f.name().equals(name)).findFirst()
                .map(f -> active.resolveSibling(f.name()));
    }

    /**
     * The last {@code lines} lines of the file (fewer when it is shorter, or when they exceed the byte bound); empty
     * when the file has just been rolled away.
     */
    public static Optional<Tail> tail(Path file, int lines) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Instant updated = Files.getLastModifiedTime(file).toInstant();
            long size = channel.size();
            long position = size;
            int newlines = 0;
            List<byte[]> blocks = new ArrayList<>();
            long read = 0;
            while (position > 0 && newlines <= lines && read < MAX_TAIL_BYTES) {
                int length = (int) Math.min(BLOCK, position);
                position -= length;
                ByteBuffer buffer = ByteBuffer.allocate(length);
                while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
                    // read the whole block
                }
                byte[] block = Arrays.copyOf(buffer.array(), buffer.position());
                for (byte b : block) {
                    if (b == '\n') {
                        newlines++;
                    }
                }
                blocks.addFirst(block);
                read += length;
            }
            int total = blocks.stream().mapToInt(b -> b.length).sum();
            byte[] bytes = new byte[total];
            int at = 0;
            for (byte[] block : blocks) {
                System.arraycopy(block, 0, bytes, at, block.length);
                at += block.length;
            }
            List<String> all = new ArrayList<>(new String(bytes, StandardCharsets.UTF_8).lines().toList());
            if (position > 0 && !all.isEmpty()) {
                all.removeFirst(); // read from the middle of a line: not a whole line
            }
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .map(line -> line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "..." : line)
                    .toList();
            return Optional.of(new Tail(file, updated, last));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log file " + file.getFileName(), e);
        }
    }
}
