package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orbit.config.AdapterConfig;
import dev.orbit.config.ConfigLoader;
import dev.orbit.config.OrbitConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orbit key ...}: API keys ({@code apikeys.manage}); {@code --key} is always the raw key. */
@Command(name = "key", mixinStandardHelpOptions = true, description = "Manage API keys.",
        subcommands = {KeyCommand.Create.class, KeyCommand.ListKeys.class, KeyCommand.Status.class,
                KeyCommand.Deactivate.class, KeyCommand.Delete.class, KeyCommand.Rename.class, KeyCommand.Test.class,
                KeyCommand.ListAdapters.class})
final class KeyCommand extends CliCommand.Group {
    static String path(String key) {
        return "/admin/api-keys/" + OrbitClient.segment(key);
    }

    /** {@code --notes T} or {@code --notes-file F}. */
    static final class Notes {
        @Option(names = "--notes", paramLabel = "T", required = true, description = "Notes about the key.")
        String text;

        @Option(names = "--notes-file", paramLabel = "F", required = true, description = "Notes read from a file.")
        Path file;

        String read() {
            return text != null ? text : Texts.read(file);
        }
    }

    /** A new prompt for the key: {@code --prompt-name NAME} with {@code --prompt-text T} or {@code --prompt-file F}. */
    static final class NewPrompt {
        @Option(names = "--prompt-name", paramLabel = "NAME", required = true,
                description = "Create (or replace) the prompt of this name and tie the key to it; nothing is written if"
                        + " the key cannot be created.")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        PromptText text;
    }

    /** {@code --prompt-text T} or {@code --prompt-file F}. */
    static final class PromptText {
        @Option(names = "--prompt-text", paramLabel = "T", required = true, description = "The new prompt's text.")
        String text;

        @Option(names = "--prompt-file", paramLabel = "F", required = true, description = "The new prompt's text, from a file.")
        Path file;

        String read() {
            return text != null ? text : Texts.read(file);
        }
    }

    /** The prompt for the key: an existing one, or a new one. */
    static final class PromptChoice {
        @Option(names = "--prompt-id", paramLabel = "ID", required = true, converter = NonEmpty.class,
                description = "Tie the key to this prompt.")
        String id;

        @ArgGroup(exclusive = false, multiplicity = "1")
        NewPrompt create;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an API key; the full key is"
            + " printed once, only now.")
    static final class Create extends CliCommand {
        @Option(names = "--adapter", paramLabel = "A", required = true, description = "The adapter (orbit key list-adapters).")
        String adapter;

        @Option(names = "--name", paramLabel = "N", required = true, description = "The client's name.")
        String name;

        @ArgGroup(exclusive = true)
        Notes notes;

        @ArgGroup(exclusive = true)
        PromptChoice prompt;

        Create(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("client_name", name);
            body.put("adapter_name", adapter);
            if (notes != null) {
                body.put("notes", notes.read());
            }
            if (prompt != null && prompt.id != null) {
                body.put("system_prompt_id", prompt.id);
            }
            String promptText = prompt != null && prompt.create != null ? prompt.create.text.read() : null;
            // The key first: prompts are replaced by name, so a prompt written for a key that then cannot be
            // made would have overwritten a prompt in use for nothing.
            ObjectNode key = (ObjectNode) cli.client().post("/admin/api-keys", body);
            JsonNode createdPrompt = null;
            if (promptText != null) {
                createdPrompt = promptForNewKey(cli, key.path("api_key").asText(), prompt.create.name, promptText);
                key.put("system_prompt_id", createdPrompt.path("id").asText());
            }
            Output out = cli.output();
            if (out.json()) {
                out.json(key);
                return 0;
            }
            out.success("API key created. It is shown only now; keep it safe:");
            out.line(key.path("api_key").asText());
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("Client", Output.text(key.path("client_name")));
            fields.put("Adapter", Output.text(key.path("adapter_name")));
            if (createdPrompt != null) {
                fields.put("Prompt", createdPrompt.path("name").asText() + " (id " + createdPrompt.path("id").asText()
                        + ", created now)");
            } else if (!key.path("system_prompt_id").isNull() && !key.path("system_prompt_id").isMissingNode()) {
                fields.put("Prompt", "id " + key.path("system_prompt_id").asText());
            }
            out.fields(fields);
            return 0;
        }
    }

    /** Creates the prompt and ties the new key to it; if either fails, the key goes too and the error is reported. */
    private static JsonNode promptForNewKey(Cli cli, String key, String name, String text) {
        try {
            JsonNode created = cli.client().post("/admin/prompts", Map.of("name", name, "prompt", text));
            cli.client().post(path(key) + "/prompt", Map.of("prompt_id", created.path("id").asText()));
            return created;
        } catch (CliException e) {
            try {
                cli.client().delete(path(key));
            } catch (CliException undo) {
                throw new CliException(e.getMessage() + "; the API key created for it (" + KeyMask.of(key)
                        + ") could not be deleted: " + undo.getMessage(), e);
            }
            throw e;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List API keys (masked).")
    static final class ListKeys extends CliCommand {
        @Option(names = "--active-only", description = "Only active keys.")
        boolean activeOnly;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--offset", defaultValue = "0", description = "Skip this many first (default: ${DEFAULT-VALUE}).")
        int offset;

        ListKeys(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("active_only", activeOnly ? "true" : null);
            query.put("limit", limit);
            query.put("offset", offset);
            JsonNode keys = cli.client().get("/admin/api-keys", query);
            cli.output().list(keys, List.of(Output.Column.text("KEY", "api_key"), Output.Column.text("CLIENT", "client_name"),
                    Output.Column.text("ADAPTER", "adapter_name"), new Output.Column("ACTIVE", k -> Output.yesNo(k.path("active"))),
                    new Output.Column("PROMPT", k -> k.path("system_prompt_name").isTextual()
                            ? k.path("system_prompt_name").asText() : Output.text(k.path("system_prompt_id"))),
                    new Output.Column("CREATED", k -> Output.time(k.path("created_at")))), "No API keys found.");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show whether a key exists and is"
            + " active (exit status 1 when it does not exist).")
    static final class Status extends CliCommand {
        @Option(names = "--key", paramLabel = "K", required = true, converter = NonEmpty.class,
                description = "The raw key.")
        String key;

        Status(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            JsonNode status = cli.client().get(path(key) + "/status");
            Output out = cli.output();
            boolean exists = status.path("exists").asBoolean(false);
            if (out.json()) {
                out.json(status);
                return exists ? 0 : 1;
            }
            if (!exists) {
                throw new CliException("API key does not exist");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("Active", Output.yesNo(status.path("active")));
            fields.put("Client", Output.text(status.path("client_name")));
            fields.put("Adapter", Output.text(status.path("adapter_name")));
            fields.put("Created", Output.time(status.path("created_at")));
            JsonNode prompt = status.path("system_prompt");
            fields.put("Prompt", prompt.isObject() ? prompt.path("id").asText()
                    + (prompt.path("exists").asBoolean(true) ? "" : " (deleted)") : "-");
            out.fields(fields);
            return 0;
        }
    }

    @Command(name = "deactivate", mixinStandardHelpOptions = true, description = "Deactivate an API key.")
    static final class Deactivate extends CliCommand {
        @Option(names = "--key", paramLabel = "K", required = true, converter = NonEmpty.class,
                description = "The raw key.")
        String key;

        Deactivate(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            return done(cli, cli.client().post(path(key) + "/deactivate", null), "API key deactivated.");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an API key (asks first unless --force).")
    static final class Delete extends CliCommand {
        @Option(names = "--key", paramLabel = "K", required = true, converter = NonEmpty.class,
                description = "The raw key.")
        String key;

        @Option(names = "--force", description = "Do not ask for confirmation.")
        boolean force;

        Delete(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            cli.requireLogin();
            confirm(cli, force, "Delete API key " + KeyMask.of(key) + "?");
            return done(cli, cli.client().delete(path(key)), "API key deleted.");
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, description = "Replace a key's value with another"
            + " (at least 8 characters); clients must then use the new one.")
    static final class Rename extends CliCommand {
        @Option(names = "--old-key", paramLabel = "K", required = true, converter = NonEmpty.class,
                description = "The current raw key.")
        String oldKey;

        @Option(names = "--new-key", paramLabel = "N", required = true, converter = NonEmpty.class,
                description = "The new raw key.")
        String newKey;

        Rename(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            JsonNode reply = cli.client().patch(path(oldKey) + "/rename", Map.of("new_api_key", newKey));
            return done(cli, reply, "API key renamed (now " + reply.path("new_api_key_masked").asText() + ").");
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, description = "Say whether a key is valid and active"
            + " (exit status 0) or not (1); needs no login.")
    static final class Test extends CliCommand {
        @Option(names = "--key", paramLabel = "K", required = true, converter = NonEmpty.class,
                description = "The raw key.")
        String key;

        Test(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            // GET /health checks a key that is sent and answers 401 when it is unknown or inactive.
            OrbitClient client = cli.anonymous();
            OrbitClient.Reply reply = client.send("GET", "/health", null, Map.of("X-API-Key", key));
            if (!reply.ok() && reply.status() != 401) {
                throw client.error(reply);
            }
            boolean valid = reply.ok();
            String message = valid ? "API key is valid and active"
                    : "API key is not valid or not active (" + OrbitClient.detail(reply.body()) + ")";
            Output out = cli.output();
            if (out.json()) {
                out.json(Map.of("valid", valid, "message", message));
            } else if (valid) {
                out.success(message);
            } else {
                out.line(message);
            }
            return valid ? 0 : 1;
        }
    }

    @Command(name = "list-adapters", mixinStandardHelpOptions = true, description = "List the adapters keys can use,"
            + " from the server configuration file (--config, else $ORBIT_HOME/config/config.yaml).")
    static final class ListAdapters extends CliCommand {
        @Option(names = "--config", paramLabel = "FILE", description = "The server configuration file.")
        Path configFile;

        ListAdapters(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            OrbitConfig config = ConfigLoader.load(cli.serverConfig(configFile), cli.env());
            var rows = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            for (AdapterConfig adapter : config.adapters().adapters()) {
                rows.addObject().put("name", adapter.name()).put("enabled", adapter.enabled())
                        .put("inference_provider", adapter.provider().name().toLowerCase(java.util.Locale.ROOT))
                        .put("model", adapter.model());
            }
            cli.output().list(rows, List.of(Output.Column.text("NAME", "name"),
                    new Output.Column("ENABLED", a -> Output.yesNo(a.path("enabled"))),
                    Output.Column.text("PROVIDER", "inference_provider"), Output.Column.text("MODEL", "model")),
                    "No adapters configured.");
            return 0;
        }
    }

}
