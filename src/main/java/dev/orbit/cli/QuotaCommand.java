package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code orbit quota ...}: per-key request quotas and token and cost budgets ({@code apikeys.manage}), with the
 * reference CLI's commands and flags and this project's budget flags; {@code --key} is the raw key or its record id.
 * Limits are per UTC day and month; 0 means unlimited.
 */
@Command(name = "quota", mixinStandardHelpOptions = true, description = "Manage API key quotas.",
        subcommands = {QuotaCommand.Get.class, QuotaCommand.Set.class, QuotaCommand.Reset.class,
                QuotaCommand.Report.class})
final class QuotaCommand extends CliCommand.Group {
    private static String path(String key) {
        return KeyCommand.path(key) + "/quota";
    }

    private static String limit(JsonNode limit) {
        return limit == null || limit.isNull() || limit.isMissingNode() ? "unlimited" : limit.asText();
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a key's quota and usage.")
    static final class Get extends CliCommand {
        @Option(names = "--key", paramLabel = "K", required = true, converter = NonEmpty.class,
                description = "The raw key or its id.")
        String key;

        Get(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            JsonNode reply = cli.client().get(path(key));
            Output out = cli.output();
            if (out.json()) {
                out.json(reply);
                return 0;
            }
            JsonNode quota = reply.path("quota");
            JsonNode usage = reply.path("usage");
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("Key", Output.text(reply.path("api_key_masked")));
            fields.put("Daily limit", limit(quota.path("daily_limit")));
            fields.put("Monthly limit", limit(quota.path("monthly_limit")));
            fields.put("Throttle enabled", Output.yesNo(quota.path("throttle_enabled")));
            fields.put("Throttle priority", Output.text(quota.path("throttle_priority")));
            fields.put("Daily used", Output.text(usage.path("daily_used")));
            fields.put("Monthly used", Output.text(usage.path("monthly_used")));
            fields.put("Daily remaining", limit(reply.path("daily_remaining")));
            fields.put("Monthly remaining", limit(reply.path("monthly_remaining")));
            fields.put("Daily token limit", limit(quota.path("daily_token_limit")));
            fields.put("Monthly token limit", limit(quota.path("monthly_token_limit")));
            fields.put("Monthly cost limit (USD)", limit(quota.path("monthly_cost_limit")));
            fields.put("Tokens today", Output.text(usage.path("daily_tokens_used")));
            fields.put("Tokens this month", Output.text(usage.path("monthly_tokens_used")));
            fields.put("Cost this month (USD)", String.format(Locale.ROOT, "%.6f",
                    usage.path("monthly_cost_used").asDouble()));
            fields.put("Daily reset (UTC)", Output.time(usage.path("daily_reset_at")));
            fields.put("Monthly reset (UTC)", Output.time(usage.path("monthly_reset_at")));
            fields.put("Last request (UTC)", Output.time(usage.path("last_request_at")));
            fields.put("Throttle delay", reply.path("throttle_delay_ms").asText("0") + " ms");
            out.fields(fields);
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set a key's quota; other settings are"
            + " kept.")
    static final class Set extends CliCommand {
        @Option(names = "--key", paramLabel = "K", required = true, converter = NonEmpty.class,
                description = "The raw key or its id.")
        String key;

        @Option(names = "--daily-limit", paramLabel = "N", description = "Requests per UTC day (0: unlimited).")
        Long dailyLimit;

        @Option(names = "--monthly-limit", paramLabel = "N", description = "Requests per UTC month (0: unlimited).")
        Long monthlyLimit;

        @Option(names = "--throttle-enabled", paramLabel = "true|false",
                description = "Whether the key is slowed down near its quota.")
        String throttleEnabled;

        @Option(names = "--priority", paramLabel = "1-10", description = "Throttle priority (1 premium .. 10 low).")
        Integer priority;

        @Option(names = "--daily-token-limit", paramLabel = "N|default",
                description = "Tokens per UTC day (0: unlimited; default: the server's default applies).")
        String dailyTokenLimit;

        @Option(names = "--monthly-token-limit", paramLabel = "N|default",
                description = "Tokens per UTC month (0: unlimited; default: the server's default applies).")
        String monthlyTokenLimit;

        @Option(names = "--monthly-cost-limit", paramLabel = "USD|default",
                description = "US dollars per UTC month (0: unlimited; default: the server's default applies).")
        String monthlyCostLimit;

        Set(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            Map<String, Object> changes = new LinkedHashMap<>();
            if (dailyLimit != null) {
                changes.put("daily_limit", atLeastZero("--daily-limit", dailyLimit));
            }
            if (monthlyLimit != null) {
                changes.put("monthly_limit", atLeastZero("--monthly-limit", monthlyLimit));
            }
            if (throttleEnabled != null) {
                changes.put("throttle_enabled", switch (throttleEnabled.strip().toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new CliException("--throttle-enabled: expected true or false, got '"
                            + throttleEnabled + "'");
                });
            }
            if (priority != null) {
                if (priority < 1 || priority > 10) {
                    throw new CliException("--priority: expected 1 to 10, got " + priority);
                }
                changes.put("throttle_priority", priority);
            }
            budget(changes, "--daily-token-limit", "daily_token_limit", dailyTokenLimit, false);
            budget(changes, "--monthly-token-limit", "monthly_token_limit", monthlyTokenLimit, false);
            budget(changes, "--monthly-cost-limit", "monthly_cost_limit", monthlyCostLimit, true);
            if (changes.isEmpty()) {
                throw usage("No quota settings specified. Use --daily-limit, --monthly-limit, --throttle-enabled,"
                        + " --priority, --daily-token-limit, --monthly-token-limit or --monthly-cost-limit");
            }
            return done(cli, cli.client().put(path(key), changes), "Quota updated.");
        }

        /** A budget flag's value: {@code default} removes the key's own (null), else a number >= 0. */
        private static void budget(Map<String, Object> changes, String option, String field, String value,
                                   boolean dollars) {
            if (value == null) {
                return;
            }
            String text = value.strip();
            if (text.equalsIgnoreCase("default")) {
                changes.put(field, null);
                return;
            }
            try {
                if (dollars) {
                    double usd = Double.parseDouble(text);
                    if (Double.isFinite(usd) && usd >= 0) {
                        changes.put(field, usd);
                        return;
                    }
                } else if (Long.parseLong(text) >= 0) {
                    changes.put(field, Long.parseLong(text));
                    return;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CliException(option + ": expected " + (dollars ? "an amount of US dollars" : "a whole number")
                    + " >= 0 (0: unlimited) or 'default', got '" + value + "'");
        }

        private static long atLeastZero(String option, long value) {
            if (value < 0) {
                throw new CliException(option + ": expected a number of requests >= 0 (0: unlimited), got " + value);
            }
            return value;
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true, description = "Start a key's usage of the current"
            + " day, month or both afresh.")
    static final class Reset extends CliCommand {
        @Option(names = "--key", paramLabel = "K", required = true, converter = NonEmpty.class,
                description = "The raw key or its id.")
        String key;

        @Option(names = "--period", paramLabel = "P", defaultValue = "daily",
                description = "daily, monthly or all (default: ${DEFAULT-VALUE}).")
        String period;

        Reset(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            String chosen = period.strip().toLowerCase(Locale.ROOT);
            if (!List.of("daily", "monthly", "all").contains(chosen)) {
                throw new CliException("--period: expected daily, monthly or all, got '" + period + "'");
            }
            return done(cli, cli.client().post(path(key) + "/reset?period=" + chosen, null),
                    "Quota usage (" + chosen + ") reset.");
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, description = "Show the quota usage of active keys.")
    static final class Report extends CliCommand {
        @Option(names = "--period", paramLabel = "P", defaultValue = "daily",
                description = "daily or monthly (default: ${DEFAULT-VALUE}).")
        String period;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
                description = "At most this many keys (1-1000, default: ${DEFAULT-VALUE}).")
        int limit;

        Report(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            String chosen = period.strip().toLowerCase(Locale.ROOT);
            if (!List.of("daily", "monthly").contains(chosen)) {
                throw new CliException("--period: expected daily or monthly, got '" + period + "'");
            }
            if (limit < 1 || limit > 1000) {
                throw new CliException("--limit: expected 1 to 1000, got " + limit);
            }
            JsonNode report = cli.client().get("/admin/quotas/usage-report", Map.of("period", chosen, "limit", limit));
            Output out = cli.output();
            if (out.json()) {
                out.json(report);
                return 0;
            }
            out.list(report.path("usage"), List.of(Output.Column.text("KEY", "api_key_masked"),
                    Output.Column.text("CLIENT", "client_name"), Output.Column.text("ADAPTER", "adapter_name"),
                    new Output.Column("USED", r -> r.path("used").asText()),
                    new Output.Column("LIMIT", r -> limit(r.path("limit"))),
                    new Output.Column("% USED", r -> r.path("limit").isNumber() && r.path("limit").asLong() > 0
                            ? String.format(Locale.ROOT, "%.1f%%", 100.0 * r.path("used").asLong() / r.path("limit").asLong())
                            : "-"),
                    new Output.Column("THROTTLE", r -> Output.yesNo(r.path("throttle_enabled"))),
                    Output.Column.text("PRIORITY", "throttle_priority")), "No API keys found.");
            out.line("Total keys: " + report.path("total_keys").asText());
            return 0;
        }
    }
}
