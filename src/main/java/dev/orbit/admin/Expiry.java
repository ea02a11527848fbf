package dev.orbit.admin;

import static dev.orbit.db.Filters.and;
import static dev.orbit.db.Filters.lte;
import static dev.orbit.db.Filters.not;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.Document;
import dev.orbit.db.Filter;
import dev.orbit.db.IndexSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The documents a collection's TTL indexes have not expired yet. Either side of a copy may delete expired
 * documents at any moment (MongoDB's TTL monitor, SQLite's sweeper), so counts are compared on these only:
 * a document not expired at {@code now} cannot have been removed by expiry.
 */
final class Expiry {
    private Expiry() {
    }

    /** Matches the documents no TTL index of the collection has expired at {@code now} (all, without TTL indexes). */
    static Filter unexpired(CollectionSpec spec, Instant now) {
        List<Filter> live = new ArrayList<>();
        for (IndexSpec index : spec.indexes()) {
            if (index.isTtl()) {
                live.add(not(lte(index.fields().getFirst(), now.minus(index.ttl()))));
            }
        }
        return and(live);
    }

    /** {@link #unexpired} as a test on one document. */
    static boolean isUnexpired(CollectionSpec spec, Document document, Instant now) {
        for (IndexSpec index : spec.indexes()) {
            if (index.isTtl() && document.get(index.fields().getFirst()) instanceof Instant at
                    && !at.isAfter(now.minus(index.ttl()))) {
                return false;
            }
        }
        return true;
    }

    static boolean hasTtl(CollectionSpec spec) {
        return spec.indexes().stream().anyMatch(IndexSpec::isTtl);
    }
}
