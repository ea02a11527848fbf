package dev.orbit.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Why a file could not be read or written, in words: Java's file exceptions often carry only the file's name
 * as their message ({@code cannot read /tmp/p1.txt: /tmp/p1.txt}).
 */
final class FileProblems {
    private FileProblems() {
    }

    /** {@code cannot <verb> <file>: <reason>}, as one CLI error. */
    static CliException cannot(String verb, Path file, IOException e) {
        return new CliException("cannot " + verb + " " + file + ": " + reason(file, e), e);
    }

    static String reason(Path file, IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            Path parent = file.toAbsolutePath().getParent();
            return parent == null || Files.isDirectory(parent) ? "no such file" : "no such directory " + parent;
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        if (reason == null || reason.isBlank() || reason.equals(file.toString())) {
            return e.getClass().getSimpleName();
        }
        return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }
}
