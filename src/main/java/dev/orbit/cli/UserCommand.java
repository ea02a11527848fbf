package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orbit user ...}: user administration ({@code users.manage}) and one's own password. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage users.",
        subcommands = {UserCommand.ListUsers.class, UserCommand.ResetPassword.class, UserCommand.Delete.class,
                UserCommand.Deactivate.class, UserCommand.Activate.class, UserCommand.ChangePassword.class,
                UserCommand.Roles.class, UserCommand.SetRoles.class})
final class UserCommand extends CliCommand.Group {
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Which user: by id, or by username (looked up first). */
    static final class Target {
        @Option(names = "--user-id", paramLabel = "ID", required = true, converter = NonEmpty.class,
                description = "The user's id.")
        String userId;

        @Option(names = "--username", paramLabel = "U", required = true, converter = NonEmpty.class,
                description = "The user's name.")
        String username;

        String id(Cli cli) {
            return userId != null ? userId
                    : cli.client().get("/auth/users/by-username", Map.of("username", username)).path("id").asText();
        }

        String describe() {
            return userId != null ? "user " + userId : username;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
    static final class ListUsers extends CliCommand {
        @Option(names = "--role", paramLabel = "R", description = "Only users with this role.")
        String role;

        @Option(names = "--active-only", description = "Only active users.")
        boolean activeOnly;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--offset", defaultValue = "0", description = "Skip this many first (default: ${DEFAULT-VALUE}).")
        int offset;

        ListUsers(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("role", role);
            query.put("active_only", activeOnly ? "true" : null);
            query.put("limit", limit);
            query.put("offset", offset);
            JsonNode users = cli.client().get("/auth/users", query);
            cli.output().list(users, List.of(Output.Column.text("ID", "id"), Output.Column.text("USERNAME", "username"),
                    Output.Column.text("ROLES", "roles"), new Output.Column("ACTIVE", u -> Output.yesNo(u.path("active"))),
                    new Output.Column("CREATED", u -> Output.time(u.path("created_at"))),
                    new Output.Column("LAST LOGIN", u -> Output.time(u.path("last_login")))), "No users found.");
            return 0;
        }
    }

    @Command(name = "reset-password", mixinStandardHelpOptions = true, description = "Set another user's password;"
            + " a random 16-character one is made and printed when --password is not given. Their sessions end.")
    static final class ResetPassword extends CliCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--password", paramLabel = "P", description = "The new password.")
        String password;

        ResetPassword(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            boolean generated = password == null;
            String newPassword = generated ? randomPassword() : password;
            String id = target.id(cli);
            JsonNode reply = cli.client().post("/auth/reset-password", Map.of("user_id", id, "new_password", newPassword));
            Output out = cli.output();
            if (out.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("message", reply.path("message").asText());
                json.put("user_id", id);
                if (generated) {
                    json.put("password", newPassword);
                }
                out.json(json);
            } else {
                out.success("Password of " + target.describe() + " reset; their sessions have ended.");
                if (generated) {
                    out.line("New password: " + newPassword);
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user (asks first unless --force).")
    static final class Delete extends CliCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--force", description = "Do not ask for confirmation.")
        boolean force;

        Delete(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            cli.requireLogin();
            confirm(cli, force, "Delete " + target.describe() + "?");
            String id = target.id(cli);
            return done(cli, cli.client().delete("/auth/users/" + OrbitClient.segment(id)),
                    "Deleted " + target.describe() + ".");
        }
    }

    @Command(name = "deactivate", mixinStandardHelpOptions = true, description = "Deactivate a user: they can no"
            + " longer log in and their sessions end (asks first unless --force).")
    static final class Deactivate extends CliCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--force", description = "Do not ask for confirmation.")
        boolean force;

        Deactivate(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            cli.requireLogin();
            confirm(cli, force, "Deactivate " + target.describe() + "?");
            String id = target.id(cli);
            return done(cli, cli.client().post("/auth/users/" + OrbitClient.segment(id) + "/deactivate", null),
                    "Deactivated " + target.describe() + ".");
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true, description = "Activate a user again.")
    static final class Activate extends CliCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--force", description = "Accepted for symmetry with delete and deactivate; activating asks nothing.")
        boolean force;

        Activate(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            String id = target.id(cli);
            return done(cli, cli.client().post("/auth/users/" + OrbitClient.segment(id) + "/activate", null),
                    "Activated " + target.describe() + ".");
        }
    }

    @Command(name = "change-password", mixinStandardHelpOptions = true, description = "Change your own password;"
            + " all your sessions end, so you are logged out here too.")
    static final class ChangePassword extends CliCommand {
        @Option(names = "--current-password", paramLabel = "P", description = "Asked for when not given.")
        String current;

        @Option(names = "--new-password", paramLabel = "P", description = "Asked for (twice) when not given.")
        String next;

        ChangePassword(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            cli.requireLogin();
            Prompter prompter = cli.prompter();
            String currentPassword = current != null ? current : prompter.password("Current password: ", "--current-password");
            String newPassword = next != null ? next : prompter.newPassword("New password: ", "--new-password");
            JsonNode reply = cli.client().post("/auth/change-password",
                    Map.of("current_password", currentPassword, "new_password", newPassword));
            cli.tokens().delete();
            return done(cli, reply, "Password changed; your sessions have ended: run orbit login.");
        }
    }

    @Command(name = "roles", mixinStandardHelpOptions = true, description = "List the roles users can have.")
    static final class Roles extends CliCommand {
        Roles(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            JsonNode roles = cli.client().get("/auth/roles").path("roles");
            if (cli.output().json()) {
                cli.output().json(roles);
            } else {
                roles.forEach(role -> cli.output().line(role.asText()));
            }
            return 0;
        }
    }

    @Command(name = "set-roles", mixinStandardHelpOptions = true, description = "Replace a user's roles.")
    static final class SetRoles extends CliCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--roles", required = true, split = ",", paramLabel = "ROLE", description = "The new roles.")
        List<String> roles;

        SetRoles(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            String id = target.id(cli);
            JsonNode reply = cli.client().put("/auth/users/" + OrbitClient.segment(id) + "/roles", Map.of("roles", roles));
            return done(cli, reply, "Roles of " + target.describe() + ": " + Output.text(reply.path("roles")));
        }
    }

    static String randomPassword() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            password.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return password.toString();
    }
}
