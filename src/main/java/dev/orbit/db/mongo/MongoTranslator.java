package dev.orbit.db.mongo;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.FieldType;
import dev.orbit.db.Filter;
import dev.orbit.db.Projection;
import dev.orbit.db.Sort;
import dev.orbit.db.Update;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Translates validated filters, sorts and updates into MongoDB query documents. Every operator is handled
 * in an exhaustive switch, so an operator added to the model does not compile until it is translated here.
 *
 * <p>Most operators are MongoDB's own. The exceptions keep "null and missing are the same" exact, as on
 * the SQL backends: a stored array that contains a null is present, not null, so presence on a list field
 * is "is an array, or is not null" rather than {@code $ne: null} (which MongoDB applies to each element).
 */
final class MongoTranslator {
    /** Matches no document: MongoDB has no literal "false" query and refuses an empty {@code $or}. */
    private static final BsonDocument NOTHING = new BsonDocument(FieldSpec.ID, new BsonDocument("$in", new BsonArray()));

    private MongoTranslator() {
    }

    static BsonDocument filter(CollectionSpec spec, Filter filter) {
        return switch (filter) {
            case Filter.Compare c -> compare(spec.field(c.field()), c.op(), c.value());
            case Filter.In in -> in(spec.field(in.field()), in);
            case Filter.Exists ex -> ex.exists() ? present(spec.field(ex.field())) : missing(spec.field(ex.field()));
            case Filter.Differs d -> new BsonDocument("$expr", new BsonDocument("$ne",
                    new BsonArray(List.of(nullIfMissing(d.field()), nullIfMissing(d.other())))));
            case Filter.ContainsIgnoreCase c -> new BsonDocument(c.field(), new BsonDocument("$regex",
                    new BsonString(literalPattern(c.text()))).append("$options", new BsonString("i")));
            case Filter.And and -> and(and.filters().stream().map(f -> filter(spec, f)).toList());
            case Filter.Or or -> or(or.filters().stream().map(f -> filter(spec, f)).toList());
            // A top-level negation: $nor also matches documents where the inner filter's fields are missing.
            case Filter.Not not -> nor(filter(spec, not.filter()));
        };
    }

    static BsonDocument sort(Sort sort) {
        BsonDocument order = new BsonDocument();
        for (Sort.Key key : sort.keys()) {
            order.append(key.field(), new BsonInt32(key.ascending() ? 1 : -1));
        }
        return order;
    }

    /** The projection document of a validated (inclusion) projection: 1 per kept field, {@code _id: 0} when left out. */
    static BsonDocument projection(Projection projection) {
        BsonDocument fields = new BsonDocument();
        projection.fields().forEach((field, kept) -> fields.append(field, new BsonInt32(kept ? 1 : 0)));
        return fields;
    }

    /** The update document of a validated, flattened update. */
    static BsonDocument update(List<Update> update) {
        BsonDocument operators = new BsonDocument();
        for (Update op : update) {
            switch (op) {
                case Update.Set s -> operator(operators, "$set").append(s.field(), BsonValues.toBson(s.value()));
                // A no-op unless the update inserts; this backend's upsert inserts itself (see MongoDocumentStore).
                case Update.SetOnInsert s -> operator(operators, "$setOnInsert")
                        .append(s.field(), BsonValues.toBson(s.value()));
                case Update.Unset u -> operator(operators, "$unset").append(u.field(), new BsonString(""));
                case Update.Inc inc -> operator(operators, "$inc").append(inc.field(), BsonValues.toBson(inc.amount()));
                case Update.Push push -> operator(operators, "$push").append(push.field(), BsonValues.toBson(push.value()));
                case Update.Combined c -> throw new IllegalStateException("update was not flattened");
            }
        }
        return operators;
    }

    /**
     * A regular expression matching {@code text} literally. ASCII punctuation is escaped one character at
     * a time and control characters are written as {@code \x{..}}, which PCRE (the server) and
     * java.util.regex (the in-process test server) read alike; {@code \Q..\E} would be cut short by a
     * {@code \E} in the text.
     */
    static String literalPattern(String text) {
        StringBuilder out = new StringBuilder(text.length() * 2);
        text.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append("\\x{").append(Integer.toHexString(cp)).append('}');
            } else if (cp < 0x80 && !Character.isLetterOrDigit(cp)) {
                out.append('\\').append((char) cp);
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static BsonDocument compare(FieldSpec field, Filter.Op op, Object value) {
        if (value == null) {
            // The Validator allows null only with EQ and NE.
            return op == Filter.Op.EQ ? missing(field) : present(field);
        }
        if (field.isId() && (op == Filter.Op.EQ || op == Filter.Op.NE)) {
            BsonArray forms = new BsonArray(MongoIds.storedForms((String) value));
            return new BsonDocument(field.name(), new BsonDocument(op == Filter.Op.EQ ? "$in" : "$nin", forms));
        }
        // A range on _id compares with string ids only: MongoDB never orders an ObjectId against a string.
        String operator = switch (op) {
            case EQ -> "$eq";
            case NE -> "$ne";
            case GT -> "$gt";
            case GTE -> "$gte";
            case LT -> "$lt";
            case LTE -> "$lte";
        };
        return new BsonDocument(field.name(), new BsonDocument(operator, BsonValues.toBson(value)));
    }

    private static BsonDocument in(FieldSpec field, Filter.In in) {
        BsonArray values = new BsonArray();
        boolean withNull = false;
        for (Object value : in.values()) {
            if (value == null) {
                withNull = true;
            } else if (field.isId()) {
                values.addAll(MongoIds.storedForms((String) value));
            } else {
                values.add(BsonValues.toBson(value));
            }
        }
        BsonDocument any = new BsonDocument(field.name(), new BsonDocument("$in", values));
        BsonDocument matches = withNull ? or(List.of(any, missing(field))) : any;
        return in.negated() ? nor(matches) : matches;
    }

    /** The field's value in an aggregation expression, null where it is missing (so that missing equals null). */
    private static BsonDocument nullIfMissing(String field) {
        return new BsonDocument("$ifNull", new BsonArray(List.of(new BsonString("$" + field), BsonNull.VALUE)));
    }

    /** The field is present and not null. */
    private static BsonDocument present(FieldSpec field) {
        BsonDocument notNull = new BsonDocument(field.name(), new BsonDocument("$ne", BsonNull.VALUE));
        if (field.type() != FieldType.LIST) {
            return notNull;
        }
        return or(List.of(new BsonDocument(field.name(), new BsonDocument("$type", new BsonString("array"))), notNull));
    }

    /** The field is missing or null. */
    private static BsonDocument missing(FieldSpec field) {
        // {f: null} also matches arrays holding a null, which are present; only list fields can hold those.
        return field.type() == FieldType.LIST ? nor(present(field)) : new BsonDocument(field.name(), BsonNull.VALUE);
    }

    private static BsonDocument and(List<BsonDocument> filters) {
        return switch (filters.size()) {
            case 0 -> new BsonDocument();
            case 1 -> filters.getFirst();
            default -> new BsonDocument("$and", new BsonArray(filters));
        };
    }

    private static BsonDocument or(List<BsonDocument> filters) {
        return switch (filters.size()) {
            case 0 -> NOTHING.clone();
            case 1 -> filters.getFirst();
            default -> new BsonDocument("$or", new BsonArray(filters));
        };
    }

    private static BsonDocument nor(BsonDocument filter) {
        return new BsonDocument("$nor", new BsonArray(List.<BsonValue>of(filter)));
    }

    private static BsonDocument operator(BsonDocument operators, String name) {
        if (!operators.containsKey(name)) {
            operators.append(name, new BsonDocument());
        }
        return operators.getDocument(name);
    }
}
