package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * Operating a running gateway over HTTP: {@code orbit pause} and {@code orbit resume} ({@code system.manage}),
 * and {@code orbit admin reload-adapters} ({@code adapters.manage}), as the reference CLI spells them.
 */
final class AdminCommands {
    private AdminCommands() {
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause chat on every gateway of the"
            + " database: new chat requests get 503 until resume; admin routes and running streams go on.")
    static final class Pause extends CliCommand {
        Pause(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            JsonNode reply = cli.client().post("/admin/pause", null);
            return done(cli, reply, "Server paused");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume chat after orbit pause.")
    static final class Resume extends CliCommand {
        Resume(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            JsonNode reply = cli.client().post("/admin/resume", null);
            return done(cli, reply, "Server resumed");
        }
    }

    @Command(name = "admin", mixinStandardHelpOptions = true, description = "Operate the running gateway.",
            subcommands = ReloadAdapters.class)
    static final class Admin extends CliCommand.Group {
    }

    @Command(name = "reload-adapters", mixinStandardHelpOptions = true, description = "Read the adapters from the"
            + " server's configuration file again and put them in force without a restart (an invalid file changes"
            + " nothing).")
    static final class ReloadAdapters extends CliCommand {
        ReloadAdapters(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            JsonNode reply = cli.client().post("/admin/reload-adapters", null);
            if (cli.output().json()) {
                cli.output().json(reply);
                return 0;
            }
            cli.output().success(Output.text(reply.path("message")));
            JsonNode summary = reply.path("summary");
            Map<String, String> counts = new LinkedHashMap<>();
            for (String field : new String[] {"added", "removed", "updated", "unchanged", "total"}) {
                counts.put(field, Output.text(summary.path(field)));
            }
            cli.output().fields(counts);
            return 0;
        }
    }
}
