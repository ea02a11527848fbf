package dev.orbit.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.config.AuditConfig;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link UsageTally}: calls merged per rollup in memory, under the rollup keys stored rows already have. */
class UsageTallyTest {
    private static final PriceTable PRICES = new PriceTable(Map.of("gpt-x", new AuditConfig.ModelPrice(2.0, 8.0)));

    private static ChatEvent call(String at, String model, String user, ChatEvent.ChatOutcome outcome, boolean reported) {
        return new ChatEvent(Instant.parse(at), "k1", "...abcdef", "key-1", "client", "simple-chat", "mock", model,
                "s-1", user, 100, 50, reported, 12, outcome, "req-1", "chat", "127.0.0.1", null, null);
    }

    @Test
    void callsOfOneRollupAreMergedIntoOneIncrementEach() {
        UsageTally tally = new UsageTally(PRICES);
        tally.add(call("2026-03-01T10:05:00Z", "gpt-x", "u-1", ChatEvent.ChatOutcome.SUCCESS, true));
        tally.add(call("2026-03-01T10:59:59Z", "gpt-x", "u-1", ChatEvent.ChatOutcome.TIMEOUT, true));
        tally.add(call("2026-03-01T11:00:00Z", "gpt-x", "u-1", ChatEvent.ChatOutcome.CANCELLED, false));
        tally.add(call("2026-03-01T11:30:00Z", "unknown-model", "u-1", ChatEvent.ChatOutcome.SUCCESS, true));

        assertThat(tally.calls()).isEqualTo(4);
        // day rows: gpt-x and unknown-model; hour rows: gpt-x at 10 and 11, unknown-model at 11
        assertThat(tally.rollups()).hasSize(5);
        UsageTally.Counts day = counts(tally, "2026-03-01T00:00:00Z", null, "gpt-x");
        assertThat(day.requests).isEqualTo(3);
        assertThat(day.errors).isEqualTo(1); // a timeout is the gateway's error, a client that left is not
        assertThat(day.promptTokens).isEqualTo(300);
        assertThat(day.completionTokens).isEqualTo(150);
        assertThat(day.costUsd).isEqualTo(3 * 600 / 1e6);
        assertThat(day.unreported).isEqualTo(1);
        assertThat(counts(tally, "2026-03-01T00:00:00Z", "2026-03-01T10:00:00Z", "gpt-x").requests).isEqualTo(2);
        assertThat(counts(tally, "2026-03-01T00:00:00Z", "2026-03-01T11:00:00Z", "gpt-x").requests).isEqualTo(1);
        UsageTally.Counts unpriced = counts(tally, "2026-03-01T00:00:00Z", null, "unknown-model");
        assertThat(unpriced.unpriced).isEqualTo(1);
        assertThat(unpriced.costUsd).isZero();

        tally.clear();
        assertThat(tally.isEmpty()).isTrue();
        assertThat(tally.rollups()).isEmpty();
    }

    /** Rows written before the tally existed are raised, not doubled: the key is the same digest as ever. */
    @Test
    void rollupKeysAreTheStoredRowsKeys() {
        UsageTally tally = new UsageTally(PRICES);
        tally.add(call("2026-03-01T10:05:00Z", "gpt-x", null, ChatEvent.ChatOutcome.SUCCESS, true));
        String dimensions = "k1\u0000simple-chat\u0000mock\u0000gpt-x\u0000chat\u0000";
        assertThat(tally.rollups().keySet()).extracting(UsageTally.Rollup::key).containsExactly(
                Secrets.sha256Hex("d\u00002026-03-01T00:00:00Z\u0000" + dimensions),
                Secrets.sha256Hex("h\u00002026-03-01T10:00:00Z\u0000" + dimensions));
    }

    private static UsageTally.Counts counts(UsageTally tally, String day, String hour, String model) {
        return tally.rollups().get(new UsageTally.Rollup(Instant.parse(day), hour == null ? null : Instant.parse(hour),
                "k1", "simple-chat", "mock", model, "chat", "u-1"));
    }
}
