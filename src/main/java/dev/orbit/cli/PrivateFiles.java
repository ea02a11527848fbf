package dev.orbit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The CLI's private files ({@link dev.orbit.PrivateFiles}), with failures reported as one-line CLI errors. */
final class PrivateFiles {
    private PrivateFiles() {
    }

    /** Replaces {@code file} with {@code content} atomically; the new file has mode 600. */
    static void write(Path file, String content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            dev.orbit.PrivateFiles.createDirectories(dir);
            Path temp = dev.orbit.PrivateFiles.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(temp, content, StandardCharsets.UTF_8);
                try {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw FileProblems.cannot("write", file, e);
        }
    }

    /** Creates {@code file} empty with mode 600 unless it exists (then it is kept as its owner made it). */
    static void createIfMissing(Path file) {
        try {
            dev.orbit.PrivateFiles.createIfMissing(file);
        } catch (IOException e) {
            throw FileProblems.cannot("create", file, e);
        }
    }
}
