package dev.orbit.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link ChatHistoryService#purgeExpired()} on a schedule, on one daemon thread, until closed. */
public final class RetentionJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    private final ChatHistoryService history;
    private final ScheduledExecutorService timer;

    private RetentionJob(ChatHistoryService history, Duration interval, Duration initialDelay) {
        this.history = history;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("orbit-chat-retention").factory());
        timer.scheduleWithFixedDelay(this::runLogged, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts the job: first run after a minute (not in the way of start-up), then every interval. */
    public static RetentionJob start(ChatHistoryService history, Duration interval) {
        return new RetentionJob(history, interval, Duration.ofMinutes(1).compareTo(interval) < 0 ? Duration.ofMinutes(1)
                : interval);
    }

    private void runLogged() {
        try {
            long deleted = history.purgeExpired();
            if (deleted > 0) {
                LOG.info("chat history retention deleted {} messages older than {} days", deleted,
                        history.settings().retentionDays());
            }
        } catch (RuntimeException e) {
            // A failed run (e.g. the database is briefly unavailable) must not end the schedule.
            LOG.warn("chat history retention failed; next run in {}", history.settings().retentionInterval(), e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
