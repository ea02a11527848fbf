package dev.orbit.db.sqlite;

import dev.orbit.db.DatabaseConnectionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files a SQLite database lives in: the database file and the rollback journal, WAL and shared-memory files
 * SQLite opens beside it. Each must be a regular file or not exist yet. Anything else ({@code /dev/null}, a FIFO,
 * a directory) would be written to as a database or replaced by one: as root, a backup with {@code --force} once
 * replaced {@code /dev/null} with a regular file. Every path ORBIT opens or writes as a SQLite database passes here.
 */
public final class DatabaseFiles {
    private static final List<String> SIBLINGS = List.of("", "-journal", "-wal", "-shm");

    private DatabaseFiles() {
    }

    /** The database file and its journal, WAL and shared-memory siblings. */
    static List<Path> of(Path database) {
        return SIBLINGS.stream().map(suffix -> database.resolveSibling(database.getFileName() + suffix)).toList();
    }

    /**
     * Refuses {@code database} when it, or one of its siblings, exists and is not a regular file (symbolic links
     * are followed: a link to a regular file is one).
     *
     * @throws DatabaseConnectionException one line naming the file and what it is
     */
    public static void requireRegularOrAbsent(Path database) {
        for (Path file : of(database)) {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new DatabaseConnectionException(file + " is " + kind(file) + ", not a regular file: refusing"
                        + " to use it as a SQLite database file", null);
            }
        }
    }

    /** What a file that is not a regular one is, in words. */
    private static String kind(Path file) {
        if (Files.isDirectory(file)) {
            return "a directory";
        }
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
            return switch (type) {
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0010000 -> "a FIFO";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }
}
