package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code orbit config ...}: the CLI's own settings in {@code ~/.orbit/config.json}; nothing on the server. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Show or change this CLI's settings"
        + " (~/.orbit/config.json; the server is configured in config/config.yaml).",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Effective.class, ConfigCommand.Set.class,
                ConfigCommand.Reset.class})
final class ConfigCommand extends CliCommand.Group {

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the settings stored in ~/.orbit/config.json.")
    static final class Show extends CliCommand {
        Show(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            ObjectNode stored = cli.settings().read();
            Output out = cli.output();
            if (out.json()) {
                out.json(stored);
            } else if (stored.isEmpty()) {
                out.line("No settings in " + cli.settings().file() + "; defaults apply (orbit config effective shows them).");
            } else {
                Map<String, String> fields = new LinkedHashMap<>();
                flatten("", stored, fields);
                out.fields(fields);
            }
            return 0;
        }

        private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
            node.properties().forEach(field -> {
                String key = prefix + field.getKey();
                if (field.getValue().isObject()) {
                    flatten(key + ".", field.getValue(), into);
                } else {
                    into.put(key, field.getValue().asText());
                }
            });
        }
    }

    @Command(name = "effective", mixinStandardHelpOptions = true, description = "Show each setting in force and"
            + " where it comes from (option, ~/.orbit/config.json, environment or default).")
    static final class Effective extends CliCommand {
        Effective(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            ArrayNode rows = JsonNodeFactory.instance.arrayNode();
            Cli.Resolved url = cli.resolveServerUrl();
            add(rows, CliSettings.SERVER_URL, url.value(), url.source());
            add(rows, CliSettings.TIMEOUT, String.valueOf(cli.timeout().toSeconds()), fileOrDefault(cli, CliSettings.TIMEOUT));
            GlobalOptions globals = cli.globals();
            if (globals.output != null) {
                add(rows, CliSettings.FORMAT, globals.output.name().toLowerCase(Locale.ROOT), "--output");
            } else {
                add(rows, CliSettings.FORMAT, cli.settings().value(CliSettings.FORMAT).map(JsonNode::asText).orElseThrow(),
                        fileOrDefault(cli, CliSettings.FORMAT));
            }
            boolean configured = cli.settings().value(CliSettings.COLOR).map(JsonNode::asBoolean).orElse(true);
            if (globals.noColor) {
                add(rows, CliSettings.COLOR, "false", "--no-color");
            } else if (cli.env().containsKey("NO_COLOR")) {
                add(rows, CliSettings.COLOR, "false", "env NO_COLOR");
            } else if (configured && !cli.environment().colorOutput()) {
                add(rows, CliSettings.COLOR, "false", "output is not a terminal");
            } else {
                add(rows, CliSettings.COLOR, String.valueOf(configured), fileOrDefault(cli, CliSettings.COLOR));
            }
            add(rows, "login", cli.tokens().tokenFor(url.value()).isPresent()
                    ? "logged in as " + cli.tokens().read().map(TokenStore.Login::username).orElse("?") : "not logged in",
                    cli.tokens().file().toString());
            cli.output().list(rows, List.of(Output.Column.text("SETTING", "key"), Output.Column.text("VALUE", "value"),
                    Output.Column.text("SOURCE", "source")), "");
            return 0;
        }

        private static String fileOrDefault(Cli cli, String key) {
            return cli.settings().stored(key).isPresent() ? cli.settings().file().toString() : "default";
        }

        private static void add(ArrayNode rows, String key, String value, String source) {
            rows.addObject().put("key", key).put("value", value).put("source", source);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Store a setting: server.default_url,"
            + " server.timeout, output.format or output.color.")
    static final class Set extends CliCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        Set(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            JsonNode stored = cli.settings().set(key, value);
            return done(cli, JsonNodeFactory.instance.objectNode().put("key", key).set("value", stored),
                    "Set " + key + " = " + stored.asText() + " in " + cli.settings().file());
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true, description = "Delete ~/.orbit/config.json: every"
            + " setting has its default again (the login is kept).")
    static final class Reset extends CliCommand {
        Reset(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            boolean removed = cli.settings().reset();
            String message = removed ? "Removed " + cli.settings().file() + "; defaults apply."
                    : "No settings to reset; defaults apply.";
            return done(cli, JsonNodeFactory.instance.objectNode().put("reset", removed)
                    .put("message", message), message);
        }
    }
}
