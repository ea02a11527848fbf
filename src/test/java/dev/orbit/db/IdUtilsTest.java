package dev.orbit.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdUtilsTest {
    @Test
    void generatedIdsHaveTheirBackendsShapeAndAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String objectId = IdUtils.generateId(IdUtils.IdStyle.OBJECT_ID);
            String uuid = IdUtils.generateId(IdUtils.IdStyle.UUID);
            assertThat(IdUtils.isObjectIdHex(objectId)).as(objectId).isTrue();
            assertThat(uuid).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(seen.add(objectId)).isTrue();
            assertThat(seen.add(uuid)).isTrue();
        }
    }

    @Test
    void objectIdsStartWithTheirCreationSecond() {
        long before = System.currentTimeMillis() / 1000;
        long seconds = Long.parseLong(IdUtils.newObjectIdHex().substring(0, 8), 16);
        assertThat(seconds).isBetween(before, before + 2);
    }

    @Test
    void uuidsStartWithTheirCreationMillisecondSoNewRowsGoToTheEndOfAnIndex() {
        long before = System.currentTimeMillis();
        String first = IdUtils.newUuid();
        java.util.UUID parsed = java.util.UUID.fromString(first);
        assertThat(parsed.version()).isEqualTo(7);
        assertThat(parsed.variant()).isEqualTo(2);
        assertThat(parsed.getMostSignificantBits() >>> 16).isBetween(before, System.currentTimeMillis());
        String later = first;
        while (later.substring(0, 13).equals(first.substring(0, 13))) {
            later = IdUtils.newUuid(); // until the next millisecond
        }
        assertThat(later).isGreaterThan(first);
    }

    @Test
    void malformedIdsAreNotIdsButOddValidOnesAre() {
        assertThat(IdUtils.ensureId(null)).isEmpty();
        assertThat(IdUtils.ensureId("   ")).isEmpty();
        assertThat(IdUtils.ensureId("a\0b")).isEmpty();
        assertThat(IdUtils.ensureId("x".repeat(129))).isEmpty();
        assertThat(IdUtils.ensureId("zzz")).contains("zzz");
        assertThat(IdUtils.ensureId("65f1c2a9e4b0a1b2c3d4e5f6")).contains("65f1c2a9e4b0a1b2c3d4e5f6");
    }
}
