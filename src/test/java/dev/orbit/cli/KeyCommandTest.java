package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KeyCommandTest extends CliTestBase {
    /** Creates a key as the admin and returns it. */
    private String createKey(String name) {
        return ok("--output", "json", "key", "create", "--adapter", TestGateway.ADAPTER, "--name", name).json()
                .path("api_key").asText();
    }

    @Test
    void createPrintsTheWholeKeyOnceAndListShowsItMasked() {
        loginAsAdmin();

        Run created = ok("key", "create", "--adapter", TestGateway.ADAPTER, "--name", "web widget", "--notes", "for the site");

        String key = created.out().lines().toList().get(1);
        assertThat(key).matches("orbit_[A-Za-z0-9]{32}");
        assertThat(created.out()).startsWith("API key created. It is shown only now; keep it safe:\n")
                .contains("Client:   web widget\n").contains("Adapter:  simple-chat\n");
        Run list = ok("key", "list");
        assertThat(list.out()).contains("***" + key.substring(key.length() - 4)).doesNotContain(key);
        assertThat(list.out()).containsPattern("web widget +simple-chat +yes +- +\\d{4}-");
        JsonNode json = ok("--output", "json", "key", "list").json();
        assertThat(json.isArray()).isTrue();
        assertThat(json.get(0).path("notes").asText()).isEqualTo("for the site");
    }

    @Test
    void createWithANewPromptCreatesThePromptFirstAndTiesTheKeyToIt() throws Exception {
        loginAsAdmin();
        Path promptFile = Files.writeString(dir.resolve("prompt.txt"), "You answer in haiku.");

        Run run = ok("key", "create", "--adapter", TestGateway.ADAPTER, "--name", "poet", "--prompt-name", "haiku",
                "--prompt-file", promptFile.toString());

        assertThat(run.out()).containsPattern("Prompt: +haiku \\(id \\S+, created now\\)");
        JsonNode prompts = ok("--output", "json", "prompt", "list").json();
        assertThat(prompts).hasSize(1);
        assertThat(prompts.get(0).path("prompt").asText()).isEqualTo("You answer in haiku.");
        assertThat(ok("key", "list").out()).containsPattern("poet +simple-chat +yes +haiku");
    }

    @Test
    void createWritesNothingWhenTheKeyCannotBeMadeAndUndoesTheKeyWhenThePromptCannot() {
        loginAsAdmin();
        ok("prompt", "create", "--name", "x", "--prompt-text", "original");

        Run badAdapter = orbit.run("key", "create", "--adapter", "nosuch", "--name", "k", "--prompt-name", "x",
                "--prompt-text", "clobbered");
        Run badPrompt = orbit.run("key", "create", "--adapter", TestGateway.ADAPTER, "--name", "k", "--prompt-name",
                "y", "--prompt-text", "x".repeat(25_001));

        assertThat(badAdapter.status()).isEqualTo(1);
        assertThat(badAdapter.err()).isEqualTo("orbit: Adapter 'nosuch' not found in configuration\n");
        assertThat(badPrompt.status()).isEqualTo(1);
        assertThat(badPrompt.err()).startsWith("orbit: invalid request: ").doesNotContain("orbit_");
        JsonNode prompts = ok("--output", "json", "prompt", "list").json();
        assertThat(prompts).hasSize(1);
        assertThat(prompts.get(0).path("prompt").asText()).isEqualTo("original");
        assertThat(ok("--output", "json", "key", "list").json()).isEmpty();

        JsonNode created = ok("--output", "json", "key", "create", "--adapter", TestGateway.ADAPTER, "--name", "k",
                "--prompt-name", "x", "--prompt-text", "replaced").json();
        assertThat(created.path("system_prompt_id").asText()).isEqualTo(prompts.get(0).path("_id").asText());
        assertThat(created.path("api_key").asText()).startsWith("orbit_");
    }

    @Test
    void createWithAnExistingPromptAndNotesFromAFile() throws Exception {
        loginAsAdmin();
        String promptId = ok("--output", "json", "prompt", "create", "--name", "terse", "--prompt-text", "Be terse.")
                .json().path("id").asText();
        Path notes = Files.writeString(dir.resolve("notes.txt"), "owned by team A");

        JsonNode key = ok("--output", "json", "key", "create", "--adapter", TestGateway.ADAPTER, "--name", "team A",
                "--notes-file", notes.toString(), "--prompt-id", promptId).json();

        assertThat(key.path("system_prompt_id").asText()).isEqualTo(promptId);
        assertThat(key.path("notes").asText()).isEqualTo("owned by team A");
    }

    @Test
    void createForAnUnknownAdapterOrPromptShowsTheServersDetail() {
        loginAsAdmin();

        fails("Adapter 'nope' not found in configuration", "key", "create", "--adapter", "nope", "--name", "x");
        fails("Prompt not found", "key", "create", "--adapter", TestGateway.ADAPTER, "--name", "x", "--prompt-id", "missing");
        fails("cannot read " + dir.resolve("absent.txt") + ": no such file", "key", "create", "--adapter", TestGateway.ADAPTER,
                "--name", "x", "--notes-file", dir.resolve("absent.txt").toString());
    }

    @Test
    void statusShowsAKeyAndFailsForAnUnknownOne() {
        loginAsAdmin();
        String key = createKey("status client");

        assertThat(ok("key", "status", "--key", key).out()).contains("Active:   yes\n").contains("Client:   status client\n");
        assertThat(ok("--output", "json", "key", "status", "--key", key).json().path("exists").asBoolean()).isTrue();
        fails("API key does not exist", "key", "status", "--key", "orbit_unknown");
        Run json = orbit.run("--output", "json", "key", "status", "--key", "orbit_unknown");
        assertThat(json.status()).isEqualTo(1);
        assertThat(json.json().path("exists").asBoolean()).isFalse();
    }

    @Test
    void testAnswersTruthfullyWithoutLoggingIn() {
        loginAsAdmin();
        String key = createKey("tested");
        ok("logout");

        assertThat(ok("key", "test", "--key", key).out()).isEqualTo("API key is valid and active\n");
        Run unknown = orbit.run("key", "test", "--key", "orbit_unknown");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.out()).startsWith("API key is not valid or not active (");

        loginAsAdmin();
        assertThat(ok("key", "deactivate", "--key", key).out()).isEqualTo("API key deactivated.\n");
        Run inactive = orbit.run("--output", "json", "key", "test", "--key", key);
        assertThat(inactive.status()).isEqualTo(1);
        assertThat(inactive.json().path("valid").asBoolean()).isFalse();
        assertThat(ok("--output", "json", "key", "status", "--key", key).json().path("active").asBoolean()).isFalse();
    }

    @Test
    void deleteAsksUnlessForcedAndTheKeyIsGone() {
        loginAsAdmin();
        String key = createKey("doomed");

        assertThat(orbit.withInput("n\n", "key", "delete", "--key", key).status()).isZero();
        assertThat(ok("key", "test", "--key", key).status()).isZero();

        assertThat(ok("key", "delete", "--key", key, "--force").out()).isEqualTo("API key deleted.\n");
        fails("API key does not exist", "key", "status", "--key", key);
        fails("API key not found", "key", "delete", "--key", key, "--force");
        fails("API key not found", "key", "deactivate", "--key", key);
    }

    @Test
    void neitherVerboseOutputNorAQuestionShowsMoreOfAKeyThanItsLastFourCharacters() {
        loginAsAdmin();
        String key = createKey("secret");
        String shown = "***" + key.substring(key.length() - 4);

        Run verbose = ok("-v", "key", "status", "--key", key);
        Run question = orbit.withInput("n\n", "key", "delete", "--key", key);

        assertThat(verbose.err()).contains("> GET " + gateway.url() + "/admin/api-keys/" + shown + "/status\n")
                .doesNotContain(key.substring(6, 12));
        assertThat(question.err()).startsWith("Delete API key " + shown + "? [y/N] ").doesNotContain(key.substring(6, 12));
    }

    @Test
    void renameMovesTheKeyToItsNewValue() {
        loginAsAdmin();
        String key = createKey("renamed");

        assertThat(ok("key", "rename", "--old-key", key, "--new-key", "orbit_myOwnChosen7fQ2mZ9xLwKey42").out())
                .isEqualTo("API key renamed (now ***ey42).\n");

        assertThat(ok("key", "test", "--key", "orbit_myOwnChosen7fQ2mZ9xLwKey42").status()).isZero();
        assertThat(orbit.run("key", "test", "--key", key).status()).isEqualTo(1);
        fails("API key not found", "key", "rename", "--old-key", key, "--new-key", "orbit_another7fQ2mZ9xLwKey42B");
    }

    @Test
    void listAdaptersReadsTheServerConfiguration() throws Exception {
        Path config = Files.writeString(dir.resolve("server.yaml"), """
                adapters:
                  - {name: chat, inference_provider: mock, model: m1}
                  - {name: old, enabled: false, inference_provider: ollama, model: llama3}
                """);

        Run run = ok("--config", config.toString(), "key", "list-adapters");

        assertThat(run.out()).isEqualTo("""
                NAME  ENABLED  PROVIDER  MODEL
                chat  yes      mock      m1
                old   no       ollama    llama3
                """);
        assertThat(ok("--output", "json", "key", "list-adapters", "--config", config.toString()).json()).hasSize(2);
        fails(dir.resolve("config/config.yaml") + ": cannot read: file not found", "key", "list-adapters");
    }

    @Test
    void keyCommandsWithoutLoggingInSayToLogIn() {
        fails("not logged in to " + gateway.url() + ": run orbit login", "key", "list");
        fails("not logged in to " + gateway.url() + ": run orbit login", "key", "create", "--adapter", "a", "--name", "n");
    }

    @Test
    void keyCommandsNeedApikeysManage() {
        loginAsNew("alice", "analyst");

        fails("permission denied: Missing required permission(s): apikeys.manage", "key", "list");
        fails("permission denied: Missing required permission(s): apikeys.manage", "key", "status", "--key", "orbit_x");
    }
}
