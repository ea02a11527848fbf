package dev.orbit.admin;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.Filters.eq;
import static dev.orbit.db.Filters.in;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseException;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import dev.orbit.db.Schema;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Copies every collection from a source (a database or an export) into a target database through
 * {@link DatabaseService#insertMany}, batch by batch, so memory holds one batch however large a collection
 * is. Ids, timestamps, hashes and every other field are carried over as they are. At the end the counts
 * of every collection are compared, and a difference fails the migration.
 *
 * <p>A target that holds documents is refused, unless it is to be emptied first ({@link Mode#REPLACE}) or
 * an interrupted copy is to be continued ({@link Mode#RESUME}: documents whose id the target already holds
 * are skipped, so running it again is always safe).
 */
public final class Migrator {
    /** What to do with documents already in the target. */
    public enum Mode {
        /** Refuse a target that holds any document. */
        EMPTY_TARGET_ONLY,
        /** Delete every document of ORBIT's collections in the target first ({@code --force}). */
        REPLACE,
        /** Keep what the target holds and copy only documents whose id it lacks ({@code --resume}). */
        RESUME
    }

    /** How the copy runs. */
    public record Settings(Mode mode, int batchSize, boolean skipUnknown) {
        public static final int DEFAULT_BATCH_SIZE = 1000;
        public static final int MAX_BATCH_SIZE = 10_000;

        /** Settings that refuse a source holding collections this ORBIT does not carry. */
        public Settings(Mode mode, int batchSize) {
            this(mode, batchSize, false);
        }

        public Settings {
            Objects.requireNonNull(mode, "mode");
            if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
                throw new AdminException("batch size must be between 1 and " + MAX_BATCH_SIZE + ", got " + batchSize);
            }
        }
    }

    /** The outcome for one collection: documents copied, skipped as already there, and now in the target. */
    public record Copied(String collection, long copied, long alreadyThere, long inTarget) {
    }

    private final MigrationSource source;
    private final DatabaseService target;
    private final String targetDisplay;
    private final Settings settings;
    private final Progress progress;
    private final Clock clock;
    private List<String> leftBehind = List.of();

    Migrator(MigrationSource source, DatabaseService target, String targetDisplay, Settings settings, Progress progress,
             Clock clock) {
        this.source = source;
        this.target = target;
        this.targetDisplay = targetDisplay;
        this.settings = settings;
        this.progress = progress;
        this.clock = clock;
    }

    /** Copies everything and verifies the counts; {@link AdminException} says what went wrong. */
    List<Copied> run() {
        Schema schema = target.schema();
        List<String> unknown = source.collections().stream().filter(c -> !schema.contains(c)).toList();
        if (!unknown.isEmpty() && !settings.skipUnknown()) {
            throw new AdminException(source.display() + " holds collections this ORBIT does not carry ("
                    + String.join(", ", unknown) + "): the copy would leave them behind; pass --skip-unknown to"
                    + " migrate without them");
        }
        leftBehind = unknown;
        prepareTarget(schema);
        List<Tally> tallies = new ArrayList<>();
        for (CollectionSpec spec : schema.collections()) {
            tallies.add(copy(spec.name()));
        }
        verify(schema);
        List<Copied> result = new ArrayList<>();
        for (Tally t : tallies) {
            result.add(new Copied(t.collection(), t.copied(), t.alreadyThere(), target.count(t.collection(), all())));
        }
        return result;
    }

    /** The source's collections that {@link #run} left out ({@link Settings#skipUnknown()}). */
    List<String> leftBehind() {
        return leftBehind;
    }

    private void prepareTarget(Schema schema) {
        List<String> occupied = new ArrayList<>();
        for (CollectionSpec spec : schema.collections()) {
            long count = target.count(spec.name(), all());
            if (count > 0) {
                occupied.add(spec.name() + " " + count);
            }
        }
        if (occupied.isEmpty()) {
            return;
        }
        switch (settings.mode()) {
            case EMPTY_TARGET_ONLY -> throw new AdminException("the target " + targetDisplay + " is not empty ("
                    + String.join(", ", occupied) + "): use --force to replace its contents, or --resume to continue"
                    + " an interrupted copy");
            case REPLACE -> {
                refuseTheSourceItself(schema);
                for (CollectionSpec spec : schema.collections()) {
                    target.deleteMany(spec.name(), all());
                }
            }
            case RESUME -> {
                // Kept: documents whose id is there already are skipped while copying.
            }
        }
    }

    private record Tally(String collection, long copied, long alreadyThere) {
    }

    /**
     * Emptying the target must never empty the source: two URLs may name one database (another host name for
     * the same server, a second path to one file). A probe document written to the target must not show up
     * in the source.
     */
    private void refuseTheSourceItself(Schema schema) {
        if (!schema.contains(OrbitSchema.SYSTEM_PROMPTS)) {
            return;
        }
        String probe = "orbit-migrate-probe-" + UUID.randomUUID();
        Instant now = clock.instant();
        target.insertOne(OrbitSchema.SYSTEM_PROMPTS, Document.of("_id", probe, "name", probe, "prompt", "probe",
                "version", "0", "created_at", now, "updated_at", now));
        boolean same;
        try {
            same = source.holds(OrbitSchema.SYSTEM_PROMPTS, probe);
        } finally {
            target.deleteOne(OrbitSchema.SYSTEM_PROMPTS, eq("_id", probe));
        }
        if (same) {
            throw new AdminException("the target " + targetDisplay + " is the source " + source.display()
                    + " under another name: refusing to empty it");
        }
    }

    private Tally copy(String collection) {
        long total = source.count(collection);
        long[] done = {0};
        long[] skipped = {0};
        source.scan(collection, settings.batchSize(), batch -> {
            List<Document> missing = settings.mode() == Mode.RESUME ? missing(collection, batch) : batch;
            if (!missing.isEmpty()) {
                insert(collection, missing, done[0]);
            }
            skipped[0] += batch.size() - missing.size();
            done[0] += batch.size();
            progress.batch(collection, done[0], total, skipped[0]);
        });
        progress.finished(collection, done[0], total, skipped[0]);
        return new Tally(collection, done[0] - skipped[0], skipped[0]);
    }

    /** The documents of the batch whose id the target does not hold yet. */
    private List<Document> missing(String collection, List<Document> batch) {
        List<Object> ids = batch.stream().<Object>map(Document::id).toList();
        Set<String> present = new HashSet<>();
        for (Document existing : target.findMany(collection, in("_id", ids))) {
            present.add(existing.id());
        }
        return present.isEmpty() ? batch : batch.stream().filter(d -> !present.contains(d.id())).toList();
    }

    private void insert(String collection, List<Document> documents, long before) {
        try {
            target.insertMany(collection, documents);
        } catch (DatabaseException e) {
            throw new AdminException(collection + ": copying documents " + (before + 1) + " to "
                    + (before + documents.size()) + " into " + targetDisplay + " failed: " + e.getMessage()
                    + " (what was copied before stays; fix the cause and run again with --resume)", e);
        }
    }

    /**
     * Compares the counts of every collection. Documents a TTL index expires may vanish from either side at
     * any moment, so only those not expired now are compared.
     */
    private void verify(Schema schema) {
        Instant now = clock.instant();
        List<String> mismatches = new ArrayList<>();
        for (CollectionSpec spec : schema.collections()) {
            long expected = source.countUnexpired(spec, now);
            long actual = target.count(spec.name(), Expiry.unexpired(spec, now));
            if (expected != actual) {
                mismatches.add(spec.name() + ": source " + expected + ", target " + actual);
            }
        }
        if (!mismatches.isEmpty()) {
            throw new AdminException("verification failed, the counts differ (" + String.join("; ", mismatches)
                    + "): was the source written to during the copy, or the target by someone else?");
        }
    }
}
