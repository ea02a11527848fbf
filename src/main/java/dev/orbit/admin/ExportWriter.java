package dev.orbit.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orbit.PrivateFiles;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.Filters;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a database's collections as an export directory ({@link ExportFormat}), each collection through
 * {@link DatabaseService#scan}, so memory holds one batch. The export is assembled under a temporary name
 * next to the target and renamed when complete. Each collection is read by one cursor; the collections are
 * read one after another, so the export is not one point-in-time snapshot across collections while the
 * database is being written.
 */
final class ExportWriter {
    /** What was written for one collection. */
    record Written(String collection, long documents) {
    }

    private ExportWriter() {
    }

    /**
     * Exports {@code source} into {@code directory}, which must not exist or be empty; with {@code force}
     * an existing export there is replaced (anything else is refused even then).
     */
    static List<Written> write(DatabaseService source, String sourceDisplay, Path directory, boolean force,
                               int batchSize, Progress progress, Clock clock) {
        String display = "export:" + directory;
        boolean replace = checkTarget(directory, display, force);
        Path partial = directory.resolveSibling(directory.getFileName() + ".partial-" + ProcessHandle.current().pid()
                + "-" + System.nanoTime());
        try {
            // Private like the database: an export holds password hashes and every transcript.
            PrivateFiles.createDirectories(partial);
            List<Written> written = new ArrayList<>();
            for (CollectionSpec spec : source.schema().collections()) {
                written.add(writeCollection(source, spec.name(), partial, batchSize, progress));
            }
            writeManifest(partial, sourceDisplay, written, clock);
            if (replace) {
                deleteExport(directory);
            }
            Files.move(partial, directory);
            return written;
        } catch (IOException | UncheckedIOException e) {
            throw new AdminException("cannot write " + display + ": " + e.getMessage(), e);
        } finally {
            deleteTree(partial);
        }
    }

    /** Whether an existing export is to be replaced; refuses anything else that is in the way. */
    private static boolean checkTarget(Path directory, String display, boolean force) {
        if (!Files.exists(directory)) {
            return false;
        }
        if (!Files.isDirectory(directory)) {
            throw new AdminException(display + " exists and is not a directory");
        }
        List<Path> present = list(directory);
        if (present.isEmpty()) {
            deleteTree(directory); // an empty directory is simply taken over by the rename
            return false;
        }
        if (!force) {
            throw new AdminException(display + " already exists and is not empty: use --force to replace an"
                    + " earlier export there");
        }
        boolean onlyExportFiles = present.stream().map(p -> p.getFileName().toString())
                .allMatch(name -> name.equals(ExportFormat.MANIFEST) || name.endsWith(ExportFormat.EXTENSION));
        if (!Files.isRegularFile(directory.resolve(ExportFormat.MANIFEST)) || !onlyExportFiles) {
            throw new AdminException(display + " holds files that are not an ORBIT export: refusing to replace"
                    + " it, even with --force");
        }
        return true;
    }

    private static Written writeCollection(DatabaseService source, String collection, Path directory, int batchSize,
                                           Progress progress) throws IOException {
        long total = source.count(collection, Filters.all());
        Path file = directory.resolve(collection + ExportFormat.EXTENSION);
        long[] done = {0};
        try (FileChannel channel = PrivateFiles.createNew(file);
             Writer writer = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel),
                     StandardCharsets.UTF_8), 1 << 16);
             JsonGenerator json = ExportFormat.JSON.getFactory().createGenerator(writer)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.setRootValueSeparator(null);
            source.scan(collection, batchSize, batch -> {
                try {
                    for (Document document : batch) {
                        ExportFormat.write(json, document);
                        json.writeRaw('\n');
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                done[0] += batch.size();
                progress.batch(collection, done[0], total, 0);
            });
            json.flush();
            writer.flush();
            channel.force(true);
        }
        progress.finished(collection, done[0], total, 0);
        return new Written(collection, done[0]);
    }

    private static void writeManifest(Path directory, String sourceDisplay, List<Written> written, Clock clock)
            throws IOException {
        ObjectNode manifest = ExportFormat.JSON.createObjectNode()
                .put("format", ExportFormat.FORMAT)
                .put("version", ExportFormat.VERSION)
                .put("created_at", ExportFormat.format(clock.instant()))
                .put("source", sourceDisplay);
        ArrayNode collections = manifest.putArray("collections");
        for (Written w : written) {
            collections.addObject().put("name", w.collection()).put("file", w.collection() + ExportFormat.EXTENSION)
                    .put("documents", w.documents());
        }
        Path file = directory.resolve(ExportFormat.MANIFEST);
        byte[] bytes = ExportFormat.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        try (FileChannel channel = PrivateFiles.createNew(file)) {
            channel.write(java.nio.ByteBuffer.wrap(bytes));
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}));
            channel.force(true);
        }
    }

    private static void deleteExport(Path directory) throws IOException {
        for (Path file : list(directory)) {
            Files.delete(file);
        }
        Files.delete(directory);
    }

    private static List<Path> list(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.toList();
        } catch (IOException e) {
            throw new AdminException("cannot list export:" + directory + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // A leftover temporary directory; the outcome of the export is reported either way.
        }
    }
}
