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
        return call(model, keyHash, "key-id-" + keyHash, "client " + keyHash, "u-1", prompt, completion, true, outcome);
    }

    ChatEvent call(String model, String keyHash, String keyId, String client, String user, long prompt,
                   long completion, boolean reported, ChatEvent.ChatOutcome outcome) {
        return new ChatEvent(clock.instant(), keyHash, "...abcdef", keyId, client, "simple-chat", "mock", model, "s-1",
                user, prompt, completion, reported, 12, outcome, "req-1", "chat", "127.0.0.1",
                "What is the secret plan?", "Nothing to say.");
    }

    private static UsageService.UsageQuery by(String bucket, String groupBy, int days) {
        return new UsageService.UsageQuery(days, bucket, groupBy, null, null, null, null, 10);
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
        assertThat(rows).hasSize(2); // the day's row and the hour's
        assertThat(rows).extracting(r -> r.getInstant("hour")).containsExactlyInAnyOrder(null,
                Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.getLong("requests")).isEqualTo(200L);
            assertThat(row.getLong("prompt_tokens")).isEqualTo(20_000L);
            assertThat(row.getLong("total_tokens")).isEqualTo(30_000L);
            // 200 calls × (100 × $2 + 50 × $8) per million tokens
            assertThat(row.getDouble("cost_usd")).isCloseTo(200 * 600 / 1e6, org.assertj.core.data.Offset.offset(1e-9));
        });
    }

    /**
     * Two gateways' writers on one database, each summing its calls in memory and writing records in small inserts:
     * every call has its record and counts once in its day's and its hour's rollup, across two hours.
     */
    @Test
    void twoGatewaysWritersCountEveryCallOnceInTheRollups() throws Exception {
        AuditSettings smallInserts = new AuditSettings(true, true, false, false, 90, 400, Duration.ofMillis(50), 10_000, 7,
                false, false, Duration.ofHours(1));
        List<AuditServices> gateways = List.of(
                closeLater(new AuditServices(db(), smallInserts, PRICES, clock)),
                closeLater(new AuditServices(anotherHandle(), smallInserts, PRICES, clock)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int hour = 0; hour < 2; hour++) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                AuditServices gateway = gateways.get(t % 2);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        gateway.recordChat(chat("gpt-x", "k1", 100, 50,
                                i % 10 == 0 ? ChatEvent.ChatOutcome.PROVIDER_ERROR : ChatEvent.ChatOutcome.SUCCESS));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            clock.advance(Duration.ofHours(1));
        }
        pool.shutdown();
        gateways.forEach(g -> g.writer().orElseThrow().flush());
        assertThat(db().count(OrbitSchema.AUDIT_LOGS, all())).isEqualTo(480);
        List<Document> rows = db().findMany(OrbitSchema.USAGE_ROLLUPS, all());
        assertThat(rows).extracting(r -> r.getInstant("hour")).containsExactlyInAnyOrder(null,
                Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(rows).allSatisfy(row -> {
            long calls = row.getInstant("hour") == null ? 480 : 240;
            assertThat(row.getLong("requests")).isEqualTo(calls);
            assertThat(row.getLong("errors")).isEqualTo(calls / 10);
            assertThat(row.getLong("total_tokens")).isEqualTo(calls * 150);
            assertThat(row.getDouble("cost_usd")).isCloseTo(calls * 600 / 1e6, org.assertj.core.data.Offset.offset(1e-9));
        });
        assertThat(gateways).allSatisfy(g -> {
            assertThat(g.writer().orElseThrow().dropped()).isZero();
            assertThat(g.writer().orElseThrow().pending()).isZero();
        });
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
        assertThat(byKey.groups()).extracting(UsageService.Group::key, UsageService.Group::label,
                UsageService.Group::ambiguous).containsExactly(org.assertj.core.groups.Tuple.tuple("key-id-k2",
                "client k2", false));
    }

    @Test
    void anHourlyReportHasOnePointPerHourFromTheHourRows() {
        UsageService usage = new UsageService(db(), PRICES, clock);
        clock.set(Instant.parse("2026-03-01T08:59:59Z"));
        usage.add(List.of(chat("gpt-x", "k1", 10, 0, ChatEvent.ChatOutcome.SUCCESS)));
        clock.set(Instant.parse("2026-03-01T09:00:00Z"));
        usage.add(List.of(chat("gpt-x", "k1", 20, 0, ChatEvent.ChatOutcome.SUCCESS),
                chat("gpt-x", "k1", 30, 0, ChatEvent.ChatOutcome.SUCCESS)));
        clock.set(Instant.parse("2026-03-02T00:30:00Z")); // the next day
        usage.add(List.of(chat("gpt-x", "k1", 40, 0, ChatEvent.ChatOutcome.SUCCESS)));
        clock.set(Instant.parse("2026-03-02T01:15:00Z"));

        UsageService.UsageReport hourly = usage.report(by("hour", "none", 1));

        assertThat(hourly.series()).hasSize(24);
        assertThat(hourly.since()).isEqualTo(Instant.parse("2026-03-01T02:00:00Z"));
        assertThat(hourly.until()).isEqualTo(Instant.parse("2026-03-02T02:00:00Z"));
        assertThat(hourly.series().get(Instant.parse("2026-03-01T08:00:00Z")).promptTokens()).isEqualTo(10);
        assertThat(hourly.series().get(Instant.parse("2026-03-01T09:00:00Z")).promptTokens()).isEqualTo(50);
        assertThat(hourly.series().get(Instant.parse("2026-03-02T00:00:00Z")).promptTokens()).isEqualTo(40);
        assertThat(hourly.totals().requests()).isEqualTo(4); // each call once, though it has a day row too
        assertThat(hourly.totals().promptTokens()).isEqualTo(100);

        UsageService.UsageReport daily = usage.report(by("day", "none", 2));
        assertThat(daily.series().values()).extracting(UsageService.Sums::promptTokens).containsExactly(60L, 40L);
        assertThat(usage.report(by("hour", "none", 2)).series()).hasSize(48);
    }

    @Test
    void reportsGroupByEveryDimensionFilterAndCountUnreportedCalls() {
        UsageService usage = new UsageService(db(), PRICES, clock);
        usage.add(List.of(call("gpt-x", "k1", "id-1", "widget", "alice", 1_000_000, 0, true, ChatEvent.ChatOutcome.SUCCESS),
                call("gpt-x", "k1", "id-1", "widget", "bob", 500_000, 0, true, ChatEvent.ChatOutcome.SUCCESS),
                call("local", "k2", "id-2", "portal", null, 10, 5, false, ChatEvent.ChatOutcome.SUCCESS),
                call("local", "k2", "id-2", "portal", null, 0, 0, false, ChatEvent.ChatOutcome.PROVIDER_ERROR)));

        UsageService.UsageReport byUser = usage.report(by("day", "user_id", 1));
        assertThat(byUser.groups()).extracting(UsageService.Group::key).containsExactly("alice", "bob", "unknown");
        assertThat(byUser.groups().getFirst().sums().costUsd()).isEqualTo(2.0);
        assertThat(byUser.totals().unreportedRequests()).isEqualTo(2);
        assertThat(byUser.totals().unpricedRequests()).isEqualTo(2);
        assertThat(byUser.totals().errors()).isEqualTo(1);
        assertThat(usage.report(by("day", "provider", 1)).groups()).extracting(UsageService.Group::key)
                .containsExactly("mock");
        assertThat(usage.report(by("day", "adapter_name", 1)).groups()).extracting(UsageService.Group::key)
                .containsExactly("simple-chat");
        assertThat(usage.report(by("day", "call_type", 1)).groups()).extracting(UsageService.Group::key)
                .containsExactly("chat");
        assertThat(usage.report(by("day", "none", 1)).groups()).isEmpty();
        assertThat(usage.report(new UsageService.UsageQuery(1, "day", "user_id", null, null, null, null, 1)).groups())
                .extracting(UsageService.Group::key).containsExactly("alice");
        assertThat(usage.report(new UsageService.UsageQuery(1, "hour", "model", "mock", "simple-chat", "chat",
                "id-2", 10)).totals().requests()).isEqualTo(2);
        assertThat(usage.report(new UsageService.UsageQuery(1, "day", "model", "other", null, null, null, 10))
                .totals().requests()).isZero();
        assertThat(usage.report(new UsageService.UsageQuery(1, "day", "model", null, "other", null, null, 10))
                .totals().requests()).isZero();
        assertThat(usage.report(new UsageService.UsageQuery(1, "day", "model", null, null, "completions", null, 10))
                .totals().requests()).isZero();
    }

    @Test
    void aKeyGroupIsLabelledWithItsClientNameAndFlaggedWhenItStandsForMoreThanOne() {
        UsageService usage = new UsageService(db(), PRICES, clock);
        usage.add(List.of(call("gpt-x", "k1", "id-1", "widget", null, 1, 1, true, ChatEvent.ChatOutcome.SUCCESS),
                // the same key (its id) renamed: a new hash, the same key
                call("gpt-x", "k1-renamed", "id-1", "widget", null, 1, 1, true, ChatEvent.ChatOutcome.SUCCESS),
                call("gpt-x", "k2", "id-2", "portal", null, 1, 1, true, ChatEvent.ChatOutcome.SUCCESS),
                // two keys without an id (a reference row) share the masked form "...abcdef"
                call("gpt-x", "k3", null, "old", null, 1, 1, true, ChatEvent.ChatOutcome.SUCCESS),
                call("gpt-x", "k4", null, "old", null, 1, 1, true, ChatEvent.ChatOutcome.SUCCESS)));
        clock.advance(Duration.ofDays(1)); // the key's client name changed since: the new day's row has the new one
        usage.add(List.of(call("gpt-x", "k2", "id-2", "portal v2", null, 1, 1, true, ChatEvent.ChatOutcome.SUCCESS)));

        Map<String, UsageService.Group> groups = new java.util.HashMap<>();
        usage.report(by("day", "api_key", 2)).groups().forEach(g -> groups.put(g.key(), g));

        assertThat(groups.get("id-1").label()).isEqualTo("widget");
        assertThat(groups.get("id-1").ambiguous()).isFalse();
        assertThat(groups.get("id-2").label()).isEqualTo("portal, portal v2");
        assertThat(groups.get("id-2").ambiguous()).isTrue();
        assertThat(groups.get("...abcdef").ambiguous()).isTrue();
        assertThat(groups.get("...abcdef").sums().requests()).isEqualTo(2);
    }

    @Test
    void pricesAreStaleMoreThan120DaysAfterTheyWereLastChecked() {
        PriceTable checked = new PriceTable(PRICES.prices(), java.time.LocalDate.parse("2026-01-01"));
        assertThat(new UsageService(db(), checked, clock).report(by("day", "none", 1)).pricing())
                .isEqualTo(new UsageService.Pricing(java.time.LocalDate.parse("2026-01-01"), false));
        clock.set(Instant.parse("2026-05-02T00:00:00Z")); // 121 days later
        assertThat(new UsageService(db(), checked, clock).report(by("day", "none", 1)).pricing().stale()).isTrue();
        assertThat(new UsageService(db(), PRICES, clock).report(by("day", "none", 1)).pricing())
                .isEqualTo(new UsageService.Pricing(null, false));
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
        services.audit().recordChats(List.of(chat("gpt-x", "k1", 1, 1, ChatEvent.ChatOutcome.SUCCESS)), PRICES);
        services.usage().add(List.of(chat("gpt-x", "k1", 1, 1, ChatEvent.ChatOutcome.SUCCESS)));
        clock.advance(Duration.ofDays(91));
        services.audit().recordAdmin(admin("admin.prompt.create", 200, "carol"));
        services.audit().recordChats(List.of(chat("gpt-x", "k1", 1, 1, ChatEvent.ChatOutcome.SUCCESS)), PRICES);

        assertThat(services.purge()).isEqualTo(2); // one admin record, one chat record
        assertThat(db().findMany(OrbitSchema.AUDIT_ADMIN_LOGS, all())).extracting(d -> d.getString("actor_id"))
                .containsExactly("carol");
        assertThat(db().count(OrbitSchema.AUDIT_LOGS, all())).isEqualTo(1);
        assertThat(db().count(OrbitSchema.USAGE_ROLLUPS, all())).isEqualTo(2); // its day and hour rows
        clock.advance(Duration.ofDays(310));
        assertThat(services.purge()).isEqualTo(4);
        assertThat(db().count(OrbitSchema.USAGE_ROLLUPS, all())).isZero();
        assertThat(db().count(OrbitSchema.AUDIT_LOGS, all())).isZero();
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
