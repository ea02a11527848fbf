package dev.orbit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    private final StringWriter out = new StringWriter();
    private final AtomicLong nanos = new AtomicLong();
    private final ProgressPrinter printer = new ProgressPrinter(new PrintWriter(out), Duration.ofSeconds(1), nanos::get);

    @Test
    void batchesPrintAtMostOncePerIntervalAndEachCollectionEndsWithItsLastLineOnce() {
        printer.batch("chat_history", 1000, 3000, 0);
        nanos.addAndGet(Duration.ofMillis(1_200).toNanos());
        printer.batch("chat_history", 2000, 3000, 0);
        nanos.addAndGet(Duration.ofMillis(300).toNanos());
        printer.batch("chat_history", 2500, 3000, 0);
        nanos.addAndGet(Duration.ofMillis(800).toNanos());
        printer.batch("chat_history", 3000, 3000, 0);
        printer.finished("chat_history", 3000, 3000, 0);
        printer.finished("users", 2, 2, 2);

        assertThat(out).hasToString("chat_history 2000/3000\nchat_history 3000/3000\nusers 2/2 (2 already there)\n");
    }

    @Test
    void aSourceThatGrewWhileBeingReadNeverShowsMoreDoneThanTotal() {
        assertThat(ProgressPrinter.line("users", 12, 10, 0)).isEqualTo("users 12/12");
    }
}
