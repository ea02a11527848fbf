package dev.orbit.db;

import static dev.orbit.db.FieldType.BOOLEAN;
import static dev.orbit.db.FieldType.DOUBLE;
import static dev.orbit.db.FieldType.INSTANT;
import static dev.orbit.db.FieldType.LIST;
import static dev.orbit.db.FieldType.LONG;
import static dev.orbit.db.FieldType.MAP;
import static dev.orbit.db.FieldType.STRING;

import java.time.Instant;
import java.util.List;

/** The collection and sample documents the contract suite works on; independent of ORBIT's own tables. */
final class ContractFixtures {
    static final String ITEMS = "contract_items";

    /**
     * One field of every type, a required field, a unique index, a compound index with mixed directions,
     * and a field stored in a column of another name (like {@code chat_history.metadata}).
     */
    static final CollectionSpec ITEMS_SPEC = CollectionSpec.builder(ITEMS)
            .required("name", STRING)
            .optional("sku", STRING)
            .optional("category", STRING)
            .optional("note", STRING)
            .optional("qty", LONG)
            .optional("price", DOUBLE)
            .optional("active", BOOLEAN)
            .optional("created_at", INSTANT)
            .optional("attrs", MAP, "attrs_json")
            .optional("tags", LIST)
            .index(IndexSpec.unique("idx_contract_items_sku", "sku"))
            .index(IndexSpec.on("idx_contract_items_category_qty",
                    Sort.ascending("category").then(Sort.descending("qty"))))
            .build();

    static final Schema SCHEMA = OrbitSchema.SCHEMA.with(ITEMS_SPEC);

    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    static final Instant T1 = Instant.parse("2024-06-01T00:00:00Z");
    static final Instant T2 = Instant.parse("2025-01-01T00:00:00Z");

    /**
     * Five documents with fixed ids that filter tests query by name. Which fields each one lacks is the
     * point: gamma has an empty note and an empty tag list, delta has nothing but its name.
     */
    static List<Document> catalog() {
        return List.of(
                Document.of("_id", "i1", "name", "alpha", "sku", "A-1", "category", "tools", "note", "First note",
                        "qty", 5L, "price", 2.5, "active", true, "created_at", T0, "tags", List.of("a", "b")),
                Document.of("_id", "i2", "name", "beta", "sku", "B-2", "category", "tools",
                        "qty", 10L, "price", 10.0, "active", false, "created_at", T1, "tags", List.of("b", "c")),
                Document.of("_id", "i3", "name", "gamma", "category", "toys", "note", "",
                        "qty", 0L, "active", true, "tags", List.of()),
                Document.of("_id", "i4", "name", "delta"),
                Document.of("_id", "i5", "name", "epsilon", "category", "toys", "note", "last",
                        "qty", -3L, "price", -1.5, "active", false, "created_at", T2, "tags", List.of("c")));
    }

    static final List<String> ALL_NAMES = List.of("alpha", "beta", "gamma", "delta", "epsilon");

    private ContractFixtures() {
    }
}
