package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orbit audit} and {@code orbit usage}: the audit trail and the usage report ({@code audit.read}). */
final class AuditCommands {
    private static final Duration FOLLOW_INTERVAL = Duration.ofSeconds(2);

    private AuditCommands() {
    }

    private static final Pattern SPAN = Pattern.compile("(\\d{1,6})([smhd])");

    /** A span such as {@code 24h}, {@code 30d}, {@code 15m} or {@code 90s}; anything else is a one-line error. */
    static Duration span(String option, String value) {
        Matcher m = SPAN.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new CliException(option + ": expected a span such as 24h, 30d, 15m or 90s, got '" + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = "Show the audit trail, newest first:"
            + " admin and auth changes (allowed or refused) and chat calls.")
    static final class Audit extends CliCommand {
        @Option(names = "--since", paramLabel = "SPAN", defaultValue = "24h",
                description = "How far back, e.g. 24h, 7d, 30m (default: ${DEFAULT-VALUE}).")
        String since;

        @Option(names = "--actor", paramLabel = "U", description = "Only this actor (user name, user id or key ***abcd).")
        String actor;

        @Option(names = "--action", paramLabel = "A", description = "Only this event, e.g. api_key.delete,"
                + " user.reset_password, login_failed (or a full type such as admin.api_key.delete).")
        String action;

        @Option(names = "--outcome", paramLabel = "O", description = "success or failed.")
        String outcome;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most this many (1-500,"
                + " default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--follow", description = "Keep printing new events as they happen (Ctrl-C stops).")
        boolean follow;

        Audit(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("limit", limit);
            query.put("since", Instant.now().minus(span("--since", since)).toString());
            query.put("actor_id", actor);
            query.put("event_type", action == null ? null : eventType(action));
            if (outcome != null) {
                query.put("success", switch (outcome.strip().toLowerCase(Locale.ROOT)) {
                    case "success", "succeeded", "ok" -> "true";
                    case "failed", "failure", "refused" -> "false";
                    default -> throw new CliException("--outcome: expected success or failed, got '" + outcome + "'");
                });
            }
            JsonNode page = cli.client().get("/admin/audit/events", query);
            JsonNode events = page.path("events");
            print(cli, events, "No audit events found.");
            if (!follow) {
                return 0;
            }
            Instant last = events.isEmpty() ? Instant.now() : Instant.parse(events.get(0).path("timestamp").asText());
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(FOLLOW_INTERVAL.toMillis());
                } catch (InterruptedException e) {
                    return 0;
                }
                // Strictly after the newest shown: the next millisecond on (times are stored to the millisecond).
                query.put("since", last.plusMillis(1).toString());
                query.put("limit", 500);
                JsonNode fresh;
                try {
                    fresh = cli.client().get("/admin/audit/events", query).path("events");
                } catch (CliException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        return 0; // stopped while asking: as when stopped while waiting
                    }
                    throw e;
                }
                if (!fresh.isEmpty()) {
                    last = Instant.parse(fresh.get(0).path("timestamp").asText());
                    ArrayNode oldestFirst = JsonNodeFactory.instance.arrayNode();
                    for (int i = fresh.size() - 1; i >= 0; i--) {
                        oldestFirst.add(fresh.get(i));
                    }
                    print(cli, oldestFirst, "");
                }
            }
            return 0;
        }

        private static void print(Cli cli, JsonNode events, String empty) {
            cli.output().list(events, List.of(new Output.Column("TIME", e -> Output.time(e.path("timestamp"))),
                    Output.Column.text("EVENT", "event_type"),
                    new Output.Column("ACTOR", e -> actorOf(e)),
                    new Output.Column("RESULT", e -> e.path("success").asBoolean(true) ? "ok" : "failed"),
                    new Output.Column("STATUS", e -> e.has("status_code") ? e.path("status_code").asText()
                            : Output.text(e.path("outcome"))),
                    new Output.Column("DETAIL", e -> e.has("path") ? e.path("path").asText()
                            : Output.text(e.path("adapter_name")) + " " + Output.text(e.path("model")) + " "
                            + e.path("total_tokens").asLong() + " tokens")), empty);
        }

        private static String actorOf(JsonNode e) {
            if (e.hasNonNull("actor_username")) {
                return e.path("actor_username").asText();
            }
            if (e.hasNonNull("actor_id")) {
                return e.path("actor_id").asText();
            }
            if (e.path("api_key").hasNonNull("key")) {
                return e.path("api_key").path("key").asText();
            }
            return "anonymous";
        }

        /** {@code api_key.delete} → {@code admin.api_key.delete}; {@code user.reset_password} → {@code auth.user...}. */
        static String eventType(String action) {
            String a = action.strip();
            if (a.startsWith("admin.") || a.startsWith("auth.") || a.startsWith("chat.")) {
                return a;
            }
            for (String adminArea : List.of("api_key.", "prompt.", "chat_history.", "conversation.", "system.")) {
                if (a.startsWith(adminArea)) {
                    return "admin." + a;
                }
            }
            return "auth." + a;
        }
    }

    @Command(name = "usage", mixinStandardHelpOptions = true, description = "Show requests, tokens and cost by key,"
            + " adapter, model or day.")
    static final class Usage extends CliCommand {
        @Option(names = "--by", paramLabel = "G", defaultValue = "model", description = "key, adapter, model or day"
                + " (default: ${DEFAULT-VALUE}).")
        String by;

        @Option(names = "--since", paramLabel = "SPAN", defaultValue = "30d",
                description = "How far back, in whole days up to 365 (default: ${DEFAULT-VALUE}).")
        String since;

        Usage(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            String groupBy = switch (by.strip().toLowerCase(Locale.ROOT)) {
                case "key" -> "api_key";
                case "adapter" -> "adapter_name";
                case "model" -> "model";
                case "day" -> "none";
                default -> throw new CliException("--by: expected key, adapter, model or day, got '" + by + "'");
            };
            long days = Math.max(1, (span("--since", since).toSeconds() + 86_399) / 86_400);
            if (days > 365) {
                throw new CliException("--since: at most 365 days");
            }
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("days", days);
            query.put("group_by", groupBy);
            query.put("limit_groups", 1000);
            JsonNode report = cli.client().get("/admin/observability/usage", query);
            Output out = cli.output();
            if (out.json()) {
                out.json(report);
                return 0;
            }
            JsonNode rows = groupBy.equals("none") ? report.path("series") : report.path("groups");
            String first = groupBy.equals("none") ? "bucket" : "key";
            List<Output.Column> columns = new ArrayList<>();
            columns.add(new Output.Column(by.toUpperCase(Locale.ROOT), r -> groupBy.equals("none")
                    ? r.path(first).asText().substring(0, 10) : r.path(first).asText()));
            if (groupBy.equals("api_key")) {
                columns.add(Output.Column.text("CLIENT", "label"));
            }
            columns.add(new Output.Column("REQUESTS", r -> r.path("requests").asText()));
            columns.add(new Output.Column("TOKENS", r -> r.path("total_tokens").asText()));
            columns.add(new Output.Column("COST USD", r -> r.path("cost_usd").asText()
                    + (r.path("unpriced").asBoolean(false) ? " (unpriced calls)" : "")));
            out.list(rows, columns, "No usage in this period.");
            JsonNode t = report.path("totals");
            out.line("total: " + t.path("requests").asText() + " requests, " + t.path("total_tokens").asText()
                    + " tokens, $" + t.path("cost_usd").asText() + (t.path("unpriced_requests").asLong() > 0
                    ? " (" + t.path("unpriced_requests").asText() + " requests of unpriced models cost 0)" : ""));
            return 0;
        }
    }
}
