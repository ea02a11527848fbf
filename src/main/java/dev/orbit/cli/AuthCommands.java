package dev.orbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orbit login}, {@code logout}, {@code me}, {@code auth-status} and {@code register}. */
final class AuthCommands {
    private AuthCommands() {
    }

    /** Logs in and keeps the session token in {@code ~/.orbit/token.json} (mode 600). */
    @Command(name = "login", mixinStandardHelpOptions = true, description = "Log in; the session token is kept in"
            + " ~/.orbit/token.json, readable only by you.")
    static final class Login extends CliCommand {
        @Option(names = {"-u", "--username"}, description = "Username (asked for when not given).")
        String username;

        @Option(names = {"-p", "--password"}, description = "Password (asked for without echo when not given).")
        String password;

        Login(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            Prompter prompter = cli.prompter();
            String user = username != null ? username : prompter.line("Username: ", "--username");
            String secret = password != null ? password : prompter.password("Password: ", "--password");
            JsonNode reply = cli.anonymous().post("/auth/login", Map.of("username", user, "password", secret));
            String token = reply.path("token").asText("");
            if (token.isEmpty()) {
                throw new CliException("the server at " + cli.serverUrl() + " sent no token; is it an ORBIT server?");
            }
            JsonNode account = reply.path("user");
            cli.tokens().save(new TokenStore.Login(cli.serverUrl(), token, account.path("username").asText(user)));
            Output out = cli.output();
            if (out.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("server_url", cli.serverUrl());
                json.put("user", account);
                json.put("token_file", cli.tokens().file().toString());
                out.json(json);
            } else {
                out.success("Logged in to " + cli.serverUrl() + " as " + account.path("username").asText(user)
                        + " (roles: " + Output.text(account.path("roles")) + ")");
            }
            return 0;
        }
    }

    /** Ends the session on the server and forgets the token. */
    @Command(name = "logout", mixinStandardHelpOptions = true, description = "End the session and forget the token.")
    static final class Logout extends CliCommand {
        Logout(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            Optional<TokenStore.Login> login = cli.tokens().read();
            Output out = cli.output();
            if (login.isEmpty()) {
                report(out, false, "Not logged in");
                return 0;
            }
            try {
                // The token belongs to the server that issued it, wherever --server-url points now.
                cli.client(login.get()).post("/auth/logout", null);
            } catch (ApiException e) {
                // 401: the session had already ended; the local token goes anyway.
            } catch (CliException e) {
                out.warn("Could not end the session on the server (" + e.getMessage() + "); forgetting it here");
            }
            cli.tokens().delete();
            report(out, true, "Logged out of " + login.get().serverUrl());
            return 0;
        }

        private static void report(Output out, boolean loggedOut, String message) {
            if (out.json()) {
                out.json(Map.of("logged_out", loggedOut, "message", message));
            } else {
                out.success(message);
            }
        }
    }

    /** Shows the logged-in user. */
    @Command(name = "me", mixinStandardHelpOptions = true, description = "Show the logged-in user.")
    static final class Me extends CliCommand {
        Me(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            JsonNode me = cli.client().get("/auth/me");
            if (cli.output().json()) {
                cli.output().json(me);
            } else {
                cli.output().fields(account(me));
            }
            return 0;
        }
    }

    /** Says whether this CLI is logged in to the server, checking the token with the server. */
    @Command(name = "auth-status", mixinStandardHelpOptions = true, description = "Say whether you are logged in to"
            + " the server (exit status 0) or not (1).")
    static final class AuthStatus extends CliCommand {
        AuthStatus(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            String url = cli.serverUrl();
            Optional<TokenStore.Login> login = cli.tokens().read();
            Output out = cli.output();
            if (cli.tokens().tokenFor(url).isEmpty()) {
                String message = "Not logged in to " + url + login.map(l -> " (the stored login is for "
                        + l.serverUrl() + ")").orElse("") + ": run orbit login";
                return report(out, Map.of("server_url", url, "authenticated", false, "message", message), message, 1);
            }
            OrbitClient.Reply reply = cli.client().send("GET", "/auth/me", null, Map.of());
            if (reply.status() == 401) {
                String message = "The session at " + url + " has expired or ended: run orbit login";
                return report(out, Map.of("server_url", url, "authenticated", false, "message", message), message, 1);
            }
            if (!reply.ok()) {
                throw cli.client().error(reply);
            }
            String username = reply.body().path("username").asText();
            String message = "Logged in to " + url + " as " + username + " (roles: "
                    + Output.text(reply.body().path("roles")) + ")";
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("server_url", url);
            json.put("authenticated", true);
            json.put("user", reply.body());
            return report(out, json, message, 0);
        }

        private static int report(Output out, Map<String, Object> json, String message, int status) {
            if (out.json()) {
                out.json(json);
            } else if (status == 0) {
                out.success(message);
            } else {
                out.line(message);
            }
            return status;
        }
    }

    /** Creates a user ({@code users.manage}). */
    @Command(name = "register", mixinStandardHelpOptions = true, description = "Create a user (needs users.manage).")
    static final class Register extends CliCommand {
        @Option(names = {"-u", "--username"}, required = true, description = "Username: 3-50 of A-Z a-z 0-9 . _ -")
        String username;

        @Option(names = {"-p", "--password"}, description = "Password, 8-128 characters without spaces (asked for"
                + " when not given).")
        String password;

        @Option(names = {"-r", "--role"}, paramLabel = "ROLE", description = "Role (default: user).")
        String role;

        @Option(names = "--roles", split = ",", paramLabel = "ROLE", description = "Several roles.")
        List<String> roles;

        Register(CliContext context) {
            super(context);
        }

        @Override
        int run(Cli cli) {
            // The server would take "roles" and drop "role" without a word.
            if (role != null && roles != null) {
                throw usage("-r/--role and --roles cannot be used together; give every role with --roles ROLE[,ROLE...]");
            }
            cli.requireLogin();
            String secret = password != null ? password
                    : cli.prompter().newPassword("Password for " + username + ": ", "--password");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("username", username);
            body.put("password", secret);
            if (role != null) {
                body.put("role", role);
            }
            if (roles != null) {
                body.put("roles", roles);
            }
            JsonNode user = cli.client().post("/auth/register", body);
            if (cli.output().json()) {
                cli.output().json(user);
            } else {
                cli.output().success("Registered " + user.path("username").asText() + " (id " + user.path("id").asText()
                        + ", roles: " + Output.text(user.path("roles")) + ")");
            }
            return 0;
        }
    }

    /** A user account as {@code me} and {@code user} commands show it. */
    static Map<String, String> account(JsonNode user) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Username", Output.text(user.path("username")));
        fields.put("ID", Output.text(user.path("id")));
        fields.put("Roles", Output.text(user.path("roles")));
        fields.put("Active", Output.yesNo(user.path("active")));
        fields.put("Email", Output.text(user.path("email")));
        fields.put("Provider", Output.text(user.path("provider")));
        fields.put("Created", Output.time(user.path("created_at")));
        fields.put("Last login", Output.time(user.path("last_login")));
        return fields;
    }
}
