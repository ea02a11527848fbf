package dev.orbit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files only their owner may read: the database (password and key hashes), its backups, the login token, the
 * CLI settings, the server log (which may hold a generated admin password). On POSIX file systems they are
 * created with mode 600 (directories 700), never created first and narrowed afterwards, so there is no moment
 * at which another user could open them. Existing files keep the mode their owner chose.
 */
public final class PrivateFiles {
    private PrivateFiles() {
    }

    /** Creates {@code file} empty with mode 600 (and missing parents with 700); false if it already existed. */
    public static boolean createIfMissing(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createFile(file, ownerOnly("rw-------"));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /** Creates {@code file}, which must not exist, with mode 600 and opens it for writing. */
    public static FileChannel createNew(Path file) throws IOException {
        return FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnly("rw-------"));
    }

    /** Creates the directory and missing parents, the new ones with mode 700. */
    public static void createDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, ownerOnly("rwx------"));
        }
    }

    /** A temporary file of mode 600 in {@code dir}. */
    public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
        return Files.createTempFile(dir, prefix, suffix, ownerOnly("rw-------"));
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }
}
