package dev.orbit.db.mongo;

import dev.orbit.db.IdUtils;
import java.util.List;
import java.util.Locale;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

/**
 * ORBIT's string ids in MongoDB's {@code _id}. An id with an ObjectId's shape is stored as an ObjectId, as
 * the reference ORBIT stores its ids; any other id (a UUID from SQLite, a chosen name) stays a string.
 * Filters match both forms of an ObjectId-shaped id, so data written either way is found.
 */
final class MongoIds {
    private MongoIds() {
    }

    /** A new id: an ObjectId, like every id MongoDB itself would generate. */
    static String newId() {
        return IdUtils.generateId(IdUtils.IdStyle.OBJECT_ID);
    }

    /**
     * The stored form of an id. Only lower-case hex becomes an ObjectId, because an ObjectId reads back
     * as lower-case hex and an id must come back exactly as it was given.
     */
    static BsonValue toStored(String id) {
        if (IdUtils.isObjectIdHex(id) && id.equals(id.toLowerCase(Locale.ROOT))) {
            return new BsonObjectId(new ObjectId(id));
        }
        return new BsonString(id);
    }

    /** Every stored form an id given in a filter may have. */
    static List<BsonValue> storedForms(String id) {
        if (IdUtils.isObjectIdHex(id)) {
            return List.of(new BsonObjectId(new ObjectId(id)), new BsonString(id));
        }
        return List.of(new BsonString(id));
    }

    /** The API form of a stored id; {@code where} names the document's collection for the error. */
    static String fromStored(String where, BsonValue stored) {
        return switch (stored.getBsonType()) {
            case OBJECT_ID -> stored.asObjectId().getValue().toHexString();
            case STRING -> stored.asString().getValue();
            default -> throw BsonValues.unreadable(where + "._id", stored);
        };
    }
}
