package dev.orbit.service;

import static dev.orbit.db.Filters.all;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.config.AuditConfig;
import dev.orbit.db.DatabaseService;
import dev.orbit.db.Document;
import dev.orbit.db.OrbitSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link AuditService}, {@link UsageService} and {@link AuditWriter} on one backend (a subclass per backend). */
abstract class AuditServicesTest extends ServiceTestBase {
    static final PriceTable PRICES = new PriceTable(Map.of("gpt-x", new AuditConfig.ModelPrice(2.0, 8.0)));

    static AuditSettings settings(boolean storeContent, boolean compress) {
        return new AuditSettings(true, true, storeContent, compress, 90, 400, Duration.ofMillis(20), 1000, 100,
                false, false, Duration.ofHours(1));
    }

    ChatEvent chat(String model, String keyHash, long prompt, long completion, ChatEvent.ChatOutcome outcome) {
        return new ChatEvent(clock.instant(), keyHash, "...abcdef", "key-id-" + keyHash, "client " + keyHash,
                "simple-chat", "mock", model, "s-1", "u-1", prompt, completion, 12, outcome, "req-1", "chat",
                "127.0.0.1", "What is the secret plan?", "Nothing to say.");
    }

    AdminEvent admin(String type, int status, String actor) {
        return new AdminEvent(clock.instant(), type, "CREATE", "api_key", "***abcd", "user", actor, actor, "POST",
                "/admin/api-keys", status, "10.0.0.1", "curl/8", status >= 400 ? "refused" : null,
                Map.of("client_name", "w"), "req-9");
    }

    @Test
    void concurrentRollupsFromSeveralProcessesAddUpExactly() throws Exception {
        // Two handles = two gateway processes, each with its own UsageService, many threads each.
        List<UsageService> services = List.of(new UsageService(db(), PRICES, clock),
                new UsageService(anotherHandle(), PRICES, clock));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            UsageService usage = services.get(t % 2);
            done.add(pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    usage.add(List.of(chat("gpt-x", "k1", 100, 50, ChatEvent.ChatOutcome.SUCCESS)));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<Document> rows = db().findMany(OrbitSchema.USAGE_ROLLUPS, all());
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst().getLong("requests")).isEqualTo(200L);
        assertThat(rows.getFirst().getLong("prompt_tokens")).isEqualTo(20_000L);
        assertThat(rows.getFirst().getLong("total_tokens")).isEqualTo(30_000L);
        // 200 calls × (100 × $2 + 50 × $8) per million tokens
        assertThat(rows.getFirst().getDouble("cost_usd")).isCloseTo(200 * 600 / 1e6, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aReportSumsPerGroupAndDayAndFlagsUnpricedModels() {
        UsageService usage = new UsageService(db(), PRICES, clock);
        usage.add(List.of(chat("gpt-x", "k1", 1_000_000, 0, ChatEvent.ChatOutcome.SUCCESS),
                chat("local-llm", "k2", 10, 5, ChatEvent.ChatOutcome.PROVIDER_ERROR)));
        clock.advance(Duration.ofDays(1));
        usage.add(List.of(chat("gpt-x", "k1", 0, 1_000_000, ChatEvent.ChatOutcome.SUCCESS)));

        UsageService.UsageReport report = usage.report(new UsageService.UsageQuery(7, "model", null, null, null, null, 10));

        assertThat(report.totals().requests()).isEqualTo(3);
        assertThat(report.totals().errors()).isEqualTo(1);
        assertThat(report.totals().unpricedRequests()).isEqualTo(1);
        assertThat(report.totals().costUsd()).isEqualTo(10.0);
        assertThat(report.series()).hasSize(7);
        assertThat(report.series().values().stream().map(UsageService.Sums::requests).toList())
                .containsExactly(0L, 0L, 0L, 0L, 0L, 2L, 1L);
        assertThat(report.groups()).extracting(UsageService.Group::key).containsExactly("gpt-x", "local-llm");
        assertThat(report.groups().getFirst().sums().costUsd()).isEqualTo(10.0);

        UsageService.UsageReport byKey = usage.report(new UsageService.UsageQuery(7, "api_key", null, null, null,
                "key-id-k2", 10));
        assertThat(byKey.totals().requests()).isEqualTo(1);
        assertThat(byKey.groups()).extracting(UsageService.Group::key, UsageService.Group::label)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("key-id-k2", "client k2"));
    }

    @Test
    void chatRecordsKeepTextsOnlyWhenContentIsStoredAndCompressOnRequest() {
        new AuditService(db(), settings(false, false), clock).recordChats(
                List.of(chat("gpt-x", "k1", 3, 4, ChatEvent.ChatOutcome.SUCCESS)), PRICES);
        Document plain = db().findOne(OrbitSchema.AUDIT_LOGS, all()).orElseThrow();
        assertThat(plain.getString("query")).isEmpty();
        assertThat(plain.getString("response")).isEmpty();
        assertThat(plain.getLong("total_tokens")).isEqualTo(7L);
        assertThat(plain.getString("outcome")).isEqualTo("success");
        assertThat(plain.getString("pricing_source")).isEqualTo("config");
        assertThat(plain.getString("api_key_hash")).isEqualTo("k1");
        assertThat(plain.getBoolean("ip_is_local")).isTrue();

        db().deleteMany(OrbitSchema.AUDIT_LOGS, all());
        new AuditService(db(), settings(true, true), clock).recordChats(
                List.of(chat("other", "k1", 3, 4, ChatEvent.ChatOutcome.CANCELLED)), PRICES);
        Document kept = db().findOne(OrbitSchema.AUDIT_LOGS, all()).orElseThrow();
        assertThat(kept.getString("query")).isEqualTo("What is the secret plan?");
        assertThat(kept.getBoolean("response_compressed")).isTrue();
        assertThat(kept.getString("response")).isEqualTo(AuditService.gzipBase64("Nothing to say."));
        assertThat(kept.getString("pricing_source")).isEqualTo("unpriced");
        assertThat(kept.getDouble("cost_usd")).isEqualTo(0.0);
    }

    @Test
    void eventsAreFilteredCountedAndPagedNewestFirstAcrossBothSources() {
        AuditService audit = new AuditService(db(), settings(false, false), clock);
        audit.recordAdmin(admin("admin.api_key.create", 200, "alice"));
        clock.advance(Duration.ofMinutes(1));
        audit.recordChats(List.of(chat("gpt-x", "k1", 1, 1, ChatEvent.ChatOutcome.SUCCESS)), PRICES);
        clock.advance(Duration.ofMinutes(1));
        audit.recordAdmin(admin("auth.login_failed", 401, "bob"));
        Instant last = clock.instant();

        AuditService.EventPage everything = audit.events(query(AuditService.Source.ALL, 10, 0, null, null, null));
        assertThat(everything.total()).isEqualTo(3);
        assertThat(everything.events()).extracting(r -> r.source().name()).containsExactly("ADMIN", "CHAT", "ADMIN");
        assertThat(everything.events().getFirst().document().getString("event_type")).isEqualTo("auth.login_failed");

        AuditService.EventPage second = audit.events(query(AuditService.Source.ALL, 1, 1, null, null, null));
        assertThat(second.events()).extracting(r -> r.source().name()).containsExactly("CHAT");
        assertThat(second.total()).isEqualTo(3);

        AuditService.EventPage failed = audit.events(query(AuditService.Source.ALL, 10, 0, null, false, null));
        assertThat(failed.total()).isEqualTo(1);
        assertThat(failed.events().getFirst().document().getString("actor_id")).isEqualTo("bob");

        AuditService.EventPage byPrefix = audit.events(query(AuditService.Source.ALL, 10, 0, "admin.", null, null));
        assertThat(byPrefix.total()).isEqualTo(1);
        AuditService.EventPage byActor = audit.events(query(AuditService.Source.ADMIN, 10, 0, null, null, "alice"));
        assertThat(byActor.total()).isEqualTo(1);
        AuditService.EventPage before = audit.events(new AuditService.EventQuery(AuditService.Source.ALL, 10, 0, null,
                null, null, null, null, null, null, null, last));
        assertThat(before.total()).isEqualTo(2);
    }

    private static AuditService.EventQuery query(AuditService.Source source, int limit, int offset, String prefix,
                                                 Boolean success, String actor) {
        return new AuditService.EventQuery(source, limit, offset, null, prefix, actor, success, null, null, null, null,
                null);
    }

    @Test
    void retentionDeletesOldAuditRecordsAndOlderRollups() {
        AuditServices services = closeLater(new AuditServices(db(), new AuditSettings(true, true, false, false, 90,
                400, Duration.ofMillis(20), 100, 100, false, false, Duration.ofHours(1)), PRICES, clock));
        services.audit().recordAdmin(admin("admin.prompt.create", 200, "alice"));
        services.usage().add(List.of(chat("gpt-x", "k1", 1, 1, ChatEvent.ChatOutcome.SUCCESS)));
        clock.advance(Duration.ofDays(91));
        services.audit().recordAdmin(admin("admin.prompt.create", 200, "carol"));

        assertThat(services.purge()).isEqualTo(1);
        assertThat(db().count(OrbitSchema.AUDIT_ADMIN_LOGS, all())).isEqualTo(1);
        assertThat(db().count(OrbitSchema.USAGE_ROLLUPS, all())).isEqualTo(1);
        clock.advance(Duration.ofDays(310));
        services.purge();
        assertThat(db().count(OrbitSchema.USAGE_ROLLUPS, all())).isZero();
    }

    @Test
    void theWriterWritesBatchesOffTheCallerAndCountsWhatItCannotTake() {
        AuditServices services = new AuditServices(db(), settings(false, false), PRICES, clock);
        for (int i = 0; i < 50; i++) {
            services.recordChat(chat("gpt-x", "k1", 1, 2, ChatEvent.ChatOutcome.SUCCESS));
        }
        AuditWriter writer = services.writer().orElseThrow();
        writer.flush();
        assertThat(db().count(OrbitSchema.AUDIT_LOGS, all())).isEqualTo(50);
        assertThat(db().findOne(OrbitSchema.USAGE_ROLLUPS, all()).orElseThrow().getLong("requests")).isEqualTo(50L);
        services.recordChat(chat("gpt-x", "k1", 1, 2, ChatEvent.ChatOutcome.SUCCESS));
        services.close(); // writes the last record
        assertThat(db().count(OrbitSchema.AUDIT_LOGS, all())).isEqualTo(51);
        assertThat(writer.offer(chat("gpt-x", "k1", 1, 2, ChatEvent.ChatOutcome.SUCCESS))).isFalse();
        assertThat(writer.dropped()).isEqualTo(1);
    }
}
