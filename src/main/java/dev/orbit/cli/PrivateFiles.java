package dev.orbit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files only their owner may read: the login token, the CLI settings, the server log (which may hold a
 * generated admin password). On POSIX file systems they are created with mode 600 (directories 700), never
 * created first and narrowed afterwards, so there is no moment at which another user could open them.
 */
final class PrivateFiles {
    private PrivateFiles() {
    }

    /** Replaces {@code file} with {@code content} atomically; the new file has mode 600. */
    static void write(Path file, String content) {
        try {
            createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp",
                    attributes("rw-------"));
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
            throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates {@code file} empty with mode 600 unless it exists. */
    static void createIfMissing(Path file) {
        try {
            createDirectories(file.toAbsolutePath().getParent());
            Files.createFile(file, attributes("rw-------"));
        } catch (FileAlreadyExistsException e) {
            // kept as it is: it was created private, or by someone who chose otherwise
        } catch (IOException e) {
            throw new CliException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates the directory and missing parents, the new ones with mode 700. */
    static void createDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, attributes("rwx------"));
        }
    }

    private static FileAttribute<?>[] attributes(String permissions) {
        boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }
}
