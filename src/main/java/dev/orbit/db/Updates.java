package dev.orbit.db;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Static factories for {@link Update}, meant for static import: {@code combine(set("a", 1), inc("n", 1))}. */
public final class Updates {
    private Updates() {
    }

    public static Update set(String field, Object value) {
        return new Update.Set(field, value);
    }

    /** One {@code set} per entry. */
    public static Update setAll(Map<String, ?> values) {
        return combine(values.entrySet().stream().map(e -> set(e.getKey(), e.getValue())).toList());
    }

    public static Update setOnInsert(String field, Object value) {
        return new Update.SetOnInsert(field, value);
    }

    public static Update unset(String field) {
        return new Update.Unset(field);
    }

    public static Update inc(String field, Number amount) {
        return new Update.Inc(field, Objects.requireNonNull(amount, "amount"));
    }

    public static Update push(String field, Object value) {
        return new Update.Push(field, value);
    }

    public static Update combine(Update... updates) {
        return new Update.Combined(List.of(updates));
    }

    public static Update combine(List<Update> updates) {
        return new Update.Combined(List.copyOf(updates));
    }
}
