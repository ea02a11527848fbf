package dev.orbit.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextWindowsTest {
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final ContextWindows windows = new ContextWindows(clock);

    private ContextWindows.Window window(int messages, int charsEach) {
        List<ContextWindows.Entry> newestFirst = new ArrayList<>();
        for (int i = messages; i >= 1; i--) {
            newestFirst.add(new ContextWindows.Entry(i, new ContextMessage("user", "x".repeat(charsEach), 1)));
        }
        return ContextWindows.Window.of(newestFirst, "id-" + messages, clock.instant(), true, clock.instant(), "owner");
    }

    @Test
    void a_window_is_used_until_it_is_max_age_old() {
        ContextWindows.Window w = window(2, 10);
        windows.put("s", w);
        clock.advance(ContextWindows.MAX_AGE.minus(Duration.ofMillis(1)));
        assertThat(windows.get("s")).isSameAs(w);
        clock.advance(Duration.ofMillis(1));
        assertThat(windows.get("s")).isNull();
        assertThat(windows.size()).isZero();
    }

    @Test
    void stored_messages_go_in_front_and_some_past_the_count_to_keep_the_window_is_cut_back_to_it() {
        ContextWindows.Window w = window(3, 1);
        Instant later = clock.instant().plusSeconds(5);
        List<ContextWindows.Entry> stored = List.of(new ContextWindows.Entry(4, new ContextMessage("user", "q", 1)),
                new ContextWindows.Entry(5, new ContextMessage("assistant", "a", 1)));

        ContextWindows.Window grown = w.after(stored, "id-5", later, 10, 0);
        assertThat(grown.newestFirst()).extracting(ContextWindows.Entry::sequence).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(grown.whole()).isTrue();
        assertThat(grown.end()).isEqualTo(new TurnHistory.SessionEnd(5L, later, "id-5"));
        assertThat(grown.read()).as("extending is not reading").isEqualTo(w.read());

        ContextWindows.Window kept = w.after(stored, "id-5", later, 2, 0);
        assertThat(kept.newestFirst()).as("within the slack").hasSize(5);
        List<ContextWindows.Entry> many = new ArrayList<>();
        for (long i = 4; i <= 30; i++) {
            many.add(new ContextWindows.Entry(i, new ContextMessage("user", "m" + i, 1)));
        }
        ContextWindows.Window slid = w.after(many, "id-30", later, 2, 0);
        assertThat(slid.newestFirst()).extracting(ContextWindows.Entry::sequence).containsExactly(30L, 29L);
        assertThat(slid.whole()).as("the oldest messages left the window").isFalse();
        assertThat(slid.oldestSequence()).isEqualTo(29);
        assertThat(slid.end()).isEqualTo(new TurnHistory.SessionEnd(30L, later, "id-30"));

        ContextWindows.Window capped = w.after(stored, "id-5", later, 10, 4);
        assertThat(capped.newestFirst()).as("a per-session cap of 4").extracting(ContextWindows.Entry::sequence)
                .containsExactly(5L, 4L, 3L, 2L);
        assertThat(capped.whole()).isFalse();
    }

    @Test
    void windows_are_bounded_by_bytes_least_recently_used_first_and_a_huge_one_is_not_kept() {
        int big = 1024 * 1024;
        for (int i = 0; i < 40; i++) {
            windows.put("s" + i, window(1, big));
            windows.get("s0"); // kept in use
        }
        assertThat(windows.size()).isLessThanOrEqualTo(32);
        assertThat(windows.get("s0")).isNotNull();
        assertThat(windows.get("s39")).isNotNull();
        assertThat(windows.get("s1")).isNull();

        windows.put("huge", window(1, 9 * big));
        assertThat(windows.get("huge")).isNull();
    }

    @Test
    void replace_keeps_a_window_another_turn_changed_meanwhile() {
        ContextWindows.Window first = window(1, 1);
        ContextWindows.Window second = window(2, 1);
        windows.put("s", first);
        windows.put("s", second);
        windows.replace("s", first, window(3, 1));
        assertThat(windows.get("s")).isSameAs(second);
        ContextWindows.Window third = window(3, 1);
        windows.replace("s", second, third);
        assertThat(windows.get("s")).isSameAs(third);
    }
}
