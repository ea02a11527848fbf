package dev.orbit.db.mongo;

import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseOperationException;
import dev.orbit.db.Document;
import dev.orbit.db.FieldSpec;
import dev.orbit.db.Values;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Whole documents between the persistence layer and BSON: ids through {@link MongoIds}, values through
 * {@link BsonValues}, and on reading each declared field in exactly its {@link dev.orbit.db.FieldType}'s
 * Java type.
 */
final class MongoDocuments {
    private static final double TWO_TO_63 = 0x1p63;

    private MongoDocuments() {
    }

    /** The BSON of a validated document, stored under {@code id}. */
    static BsonDocument toBson(Document validated, String id) {
        BsonDocument bson = new BsonDocument(FieldSpec.ID, MongoIds.toStored(id));
        for (Map.Entry<String, Object> e : validated.asMap().entrySet()) {
            if (!FieldSpec.ID.equals(e.getKey())) {
                bson.append(e.getKey(), BsonValues.toBson(e.getValue()));
            }
        }
        return bson;
    }

    /**
     * The document stored as {@code stored}. Null fields are left out (null and missing are the same), and
     * so are fields the collection does not declare: other writers may have left some, and ORBIT's
     * documents hold only declared fields on every backend.
     */
    static Document fromBson(CollectionSpec spec, BsonDocument stored) {
        BsonValue storedId = stored.get(FieldSpec.ID);
        String id = storedId == null ? null : MongoIds.fromStored(spec.name(), storedId);
        Document document = new Document(stored.size());
        document.put(FieldSpec.ID, id);
        for (Map.Entry<String, BsonValue> e : stored.entrySet()) {
            FieldSpec field = spec.fields().get(e.getKey());
            if (field != null && !field.isId()) {
                document.put(field.name(), typed(spec, id, field, e.getValue()));
            }
        }
        return document;
    }

    /**
     * The value as the field's declared type. Numbers written by other clients are widened or, when
     * integral, narrowed to it (the reference ORBIT may store int32, a JavaScript client doubles);
     * anything else that does not fit fails, naming the field and document but never the value.
     */
    private static Object typed(CollectionSpec spec, String id, FieldSpec field, BsonValue stored) {
        String where = spec.name() + "." + field.name() + " of document " + id;
        Object value = BsonValues.fromBson(where, stored);
        Object adapted = switch (field.type()) {
            case DOUBLE -> value instanceof Long l ? (Object) l.doubleValue() : value;
            case LONG -> value instanceof Double d && isIntegral(d) ? (Object) d.longValue() : value;
            default -> value;
        };
        if (adapted != null && !field.type().accepts(adapted)) {
            throw new DatabaseOperationException(where + " holds " + Values.describe(adapted) + " (BSON "
                    + stored.getBsonType() + "), but the field is declared " + field.type().label(), null);
        }
        return adapted;
    }

    private static boolean isIntegral(double d) {
        return d == Math.rint(d) && d >= -TWO_TO_63 && d < TWO_TO_63;
    }
}
