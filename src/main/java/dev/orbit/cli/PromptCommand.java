package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orbit prompt ...}: system prompts ({@code prompts.manage}). */
@Command(name = "prompt", mixinStandardHelpOptions = true, description = "Manage system prompts.",
        subcommands = {PromptCommand.Create.class, PromptCommand.ListPrompts.class, PromptCommand.Get.class,
                PromptCommand.Update.class, PromptCommand.Delete.class, PromptCommand.Associate.class})
final class PromptCommand extends CliCommand.Group {
    static String path(String id) {
        return "/admin/prompts/" + OrbitClient.segment(id);
    }

    // No standard help mixin here: its -V/--version would take the place of the prompt's --version.
    @Command(name = "create", description = "Create a prompt (the same name again"
            + " replaces that prompt's text and keeps its id).")
    static final class Create extends CliCommand {
        @Option(names = "--name", paramLabel = "N", required = true, description = "The prompt's name.")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Texts.Source text;

        @Option(names = "--version", paramLabel = "V", description = "Version label (default 1.0).")
        String version;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        Create(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("prompt", text.read());
            if (version != null) {
                body.put("version", version);
            }
            JsonNode prompt = cli.client().post("/admin/prompts", body);
            return done(cli, prompt, "Prompt " + prompt.path("name").asText() + " saved (id "
                    + prompt.path("id").asText() + ", version " + prompt.path("version").asText() + ").");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List prompts.")
    static final class ListPrompts extends CliCommand {
        @Option(names = "--name-filter", paramLabel = "S", description = "Only names containing this (any case).")
        String nameFilter;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--offset", defaultValue = "0", description = "Skip this many first (default: ${DEFAULT-VALUE}).")
        int offset;

        ListPrompts(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("name_filter", nameFilter);
            query.put("limit", limit);
            query.put("offset", offset);
            JsonNode prompts = cli.client().get("/admin/prompts", query);
            cli.output().list(prompts, List.of(Output.Column.text("ID", "_id"), Output.Column.text("NAME", "name"),
                    Output.Column.text("VERSION", "version"),
                    new Output.Column("UPDATED", p -> Output.time(p.path("updated_at"))),
                    new Output.Column("PROMPT", p -> Output.excerpt(p.path("prompt").asText(), 50))),
                    "No prompts found.");
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a prompt, or save its text to a file.")
    static final class Get extends CliCommand {
        @Option(names = "--id", paramLabel = "ID", required = true, converter = NonEmpty.class,
                description = "The prompt's id.")
        String id;

        @Option(names = "--save", paramLabel = "FILE", description = "Write the prompt's text to this file.")
        Path save;

        Get(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            JsonNode prompt = cli.client().get(path(id));
            Output out = cli.output();
            if (save != null) {
                try {
                    Files.writeString(save, prompt.path("prompt").asText());
                } catch (IOException e) {
                    throw FileProblems.cannot("write", save, e);
                }
            }
            if (out.json()) {
                out.json(prompt);
                return 0;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("Name", Output.text(prompt.path("name")));
            fields.put("ID", Output.text(prompt.path("_id")));
            fields.put("Version", Output.text(prompt.path("version")));
            fields.put("Created", Output.time(prompt.path("created_at")));
            fields.put("Updated", Output.time(prompt.path("updated_at")));
            out.fields(fields);
            if (save != null) {
                out.success("Prompt text saved to " + save);
            } else {
                out.line("");
                out.line(prompt.path("prompt").asText());
            }
            return 0;
        }
    }

    @Command(name = "update", description = "Replace a prompt's text; without"
            + " --version the last number of the version goes up by one.")
    static final class Update extends CliCommand {
        @Option(names = "--id", paramLabel = "ID", required = true, converter = NonEmpty.class,
                description = "The prompt's id.")
        String id;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Texts.Source text;

        @Option(names = "--version", paramLabel = "V", description = "The new version label.")
        String version;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        Update(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("prompt", text.read());
            if (version != null) {
                body.put("version", version);
            }
            JsonNode prompt = cli.client().put(path(id), body);
            return done(cli, prompt, "Prompt " + prompt.path("name").asText() + " updated (version "
                    + prompt.path("version").asText() + ").");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a prompt; keys tied to it lose"
            + " it (asks first unless --force).")
    static final class Delete extends CliCommand {
        @Option(names = "--id", paramLabel = "ID", required = true, converter = NonEmpty.class,
                description = "The prompt's id.")
        String id;

        @Option(names = "--force", description = "Do not ask for confirmation.")
        boolean force;

        Delete(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            cli.requireLogin();
            confirm(cli, force, "Delete prompt " + id + "?");
            return done(cli, cli.client().delete(path(id)), "Prompt deleted.");
        }
    }

    @Command(name = "associate", mixinStandardHelpOptions = true, description = "Tie an API key to a prompt.")
    static final class Associate extends CliCommand {
        @Option(names = "--key", paramLabel = "K", required = true, converter = NonEmpty.class,
                description = "The raw API key.")
        String key;

        @Option(names = "--prompt-id", paramLabel = "ID", required = true, converter = NonEmpty.class,
                description = "The prompt's id.")
        String promptId;

        Associate(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            JsonNode reply = cli.client().post(KeyCommand.path(key) + "/prompt", Map.of("prompt_id", promptId));
            return done(cli, reply, "API key now uses prompt " + promptId + ".");
        }
    }
}
