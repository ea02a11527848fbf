package dev.orbit.db.mongo;

import dev.orbit.db.DatabaseOperationException;
import dev.orbit.db.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Converts the persistence layer's canonical values (see {@link Values}) to BSON and back, recursively:
 * Long ↔ int64, Double ↔ double, Instant ↔ date (milliseconds), maps ↔ sub-documents, lists ↔ arrays.
 * Reading also accepts what other writers leave behind (int32, Decimal128, ObjectId, timestamps) and
 * fails clearly on BSON types that have no ORBIT equivalent.
 */
final class BsonValues {
    private BsonValues() {
    }

    /** The BSON form of a value already in canonical form (validated); a nested null stays null. */
    static BsonValue toBson(Object value) {
        return switch (value) {
            case null -> BsonNull.VALUE;
            case String s -> new BsonString(s);
            case Long l -> new BsonInt64(l);
            case Double d -> new BsonDouble(d);
            case Boolean b -> BsonBoolean.valueOf(b);
            case Instant t -> new BsonDateTime(t.toEpochMilli());
            case Map<?, ?> map -> toBsonDocument(map);
            case List<?> list -> toBsonArray(list);
            // The Validator lets nothing else through; reaching this is a bug, not bad input.
            default -> throw new IllegalArgumentException("not a canonical value: " + Values.describe(value));
        };
    }

    /**
     * The Java value of a stored BSON value: String, Long, Double, Boolean, Instant, unmodifiable
     * {@code Map<String, Object>} and {@code List<Object>}, or null. {@code where} names the value for
     * the error raised on a BSON type ORBIT cannot read.
     */
    static Object fromBson(String where, BsonValue value) {
        return switch (value.getBsonType()) {
            case NULL, UNDEFINED -> null;
            case STRING -> value.asString().getValue();
            case INT32 -> (long) value.asInt32().getValue();
            case INT64 -> value.asInt64().getValue();
            case DOUBLE -> value.asDouble().getValue();
            case DECIMAL128 -> decimal(where, value.asDecimal128().getValue());
            case BOOLEAN -> value.asBoolean().getValue();
            case DATE_TIME -> Instant.ofEpochMilli(value.asDateTime().getValue());
            // A BSON timestamp is seconds plus an ordinal within the second; the seconds are the time.
            case TIMESTAMP -> Instant.ofEpochSecond(value.asTimestamp().getTime());
            case OBJECT_ID -> value.asObjectId().getValue().toHexString();
            case DOCUMENT -> fromBsonDocument(where, value.asDocument());
            case ARRAY -> fromBsonArray(where, value.asArray());
            case BINARY, REGULAR_EXPRESSION, DB_POINTER, JAVASCRIPT, SYMBOL, JAVASCRIPT_WITH_SCOPE, MIN_KEY, MAX_KEY,
                 END_OF_DOCUMENT -> throw unreadable(where, value);
        };
    }

    /** The error for a stored value that cannot become an ORBIT value; names the type, never the value. */
    static DatabaseOperationException unreadable(String where, BsonValue value) {
        return new DatabaseOperationException(where + " holds a BSON " + value.getBsonType().name().toLowerCase(
                java.util.Locale.ROOT) + ", which ORBIT cannot read", null);
    }

    private static BsonDocument toBsonDocument(Map<?, ?> map) {
        BsonDocument document = new BsonDocument();
        map.forEach((key, v) -> document.append((String) key, toBson(v)));
        return document;
    }

    private static BsonArray toBsonArray(List<?> list) {
        List<BsonValue> values = new ArrayList<>(list.size());
        list.forEach(v -> values.add(toBson(v)));
        return new BsonArray(values);
    }

    private static Map<String, Object> fromBsonDocument(String where, BsonDocument document) {
        Map<String, Object> map = LinkedHashMap.newLinkedHashMap(document.size());
        document.forEach((key, v) -> map.put(key, fromBson(where + "." + key, v)));
        return Collections.unmodifiableMap(map);
    }

    private static List<Object> fromBsonArray(String where, BsonArray array) {
        List<Object> list = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            list.add(fromBson(where + "[" + i + "]", array.get(i)));
        }
        return Collections.unmodifiableList(list);
    }

    /** Decimal128 has no ORBIT type: a decimal is read as the nearest double, if there is one. */
    private static Double decimal(String where, Decimal128 decimal) {
        double approximate = decimal.doubleValue();
        if (Double.isNaN(approximate) || Double.isInfinite(approximate)) {
            throw new DatabaseOperationException(where + " holds a Decimal128 with no finite double value, which"
                    + " ORBIT cannot read", null);
        }
        return approximate;
    }
}
