package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PromptCommandTest extends CliTestBase {
    private String createPrompt(String name, String text) {
        return ok("--output", "json", "prompt", "create", "--name", name, "--prompt-text", text).json().path("id").asText();
    }

    @Test
    void createFromTextOrFileAndListThem() throws Exception {
        loginAsAdmin();
        Path file = Files.writeString(dir.resolve("support.txt"), "You are a support agent.\nBe kind.");

        Run fromText = ok("prompt", "create", "--name", "Pirate", "--prompt-text", "Talk like a pirate.", "--version", "2.0");
        Run fromFile = ok("prompt", "create", "--name", "support", "--file", file.toString());

        assertThat(fromText.out()).matches("Prompt Pirate saved \\(id \\S+, version 2\\.0\\)\\.\n");
        assertThat(fromFile.out()).contains("version 1.0");
        Run list = ok("prompt", "list");
        assertThat(list.out().lines().findFirst().orElseThrow()).matches("ID +NAME +VERSION +UPDATED +PROMPT");
        assertThat(list.out()).contains("You are a support agent. Be kind.");
        JsonNode pirates = ok("--output", "json", "prompt", "list", "--name-filter", "pIRA").json();
        assertThat(pirates).hasSize(1);
        assertThat(pirates.get(0).path("name").asText()).isEqualTo("Pirate");
        assertThat(ok("--output", "json", "prompt", "list", "--limit", "1", "--offset", "1").json()).hasSize(1);
        assertThat(ok("prompt", "list", "--name-filter", "none").out()).isEqualTo("No prompts found.\n");
    }

    @Test
    void getShowsThePromptOrSavesItsText() throws Exception {
        loginAsAdmin();
        String id = createPrompt("poet", "Answer in verse.");

        assertThat(ok("prompt", "get", "--id", id).out()).contains("Name:     poet\n").endsWith("\nAnswer in verse.\n");
        Path saved = dir.resolve("saved.txt");
        assertThat(ok("prompt", "get", "--id", id, "--save", saved.toString()).out())
                .endsWith("Prompt text saved to " + saved + "\n");
        assertThat(saved).hasContent("Answer in verse.");
        assertThat(ok("--output", "json", "prompt", "get", "--id", id).json().path("_id").asText()).isEqualTo(id);
    }

    @Test
    void updateReplacesTheTextAndBumpsTheVersion() throws Exception {
        loginAsAdmin();
        String id = createPrompt("poet", "Answer in verse.");
        Path file = Files.writeString(dir.resolve("v2.txt"), "Answer in limericks.");

        assertThat(ok("prompt", "update", "--id", id, "--file", file.toString()).out())
                .isEqualTo("Prompt poet updated (version 1.1).\n");
        assertThat(ok("prompt", "update", "--id", id, "--prompt-text", "Sonnets.", "--version", "3").out())
                .isEqualTo("Prompt poet updated (version 3).\n");
        assertThat(ok("--output", "json", "prompt", "get", "--id", id).json().path("prompt").asText()).isEqualTo("Sonnets.");
    }

    @Test
    void deleteRemovesThePromptAndItsKeysLoseIt() {
        loginAsAdmin();
        String id = createPrompt("gone", "Soon deleted.");
        String key = ok("--output", "json", "key", "create", "--adapter", TestGateway.ADAPTER, "--name", "k",
                "--prompt-id", id).json().path("api_key").asText();

        assertThat(ok("prompt", "delete", "--id", id, "--force").out()).isEqualTo("Prompt deleted.\n");

        fails("Prompt not found", "prompt", "get", "--id", id);
        assertThat(ok("--output", "json", "key", "status", "--key", key).json().path("system_prompt").isNull()).isTrue();
    }

    @Test
    void associateTiesAKeyToAPrompt() {
        loginAsAdmin();
        String id = createPrompt("helper", "Be helpful.");
        String key = ok("--output", "json", "key", "create", "--adapter", TestGateway.ADAPTER, "--name", "k")
                .json().path("api_key").asText();

        assertThat(ok("prompt", "associate", "--key", key, "--prompt-id", id).out())
                .isEqualTo("API key now uses prompt " + id + ".\n");

        assertThat(ok("--output", "json", "key", "status", "--key", key).json().path("system_prompt").path("id").asText())
                .isEqualTo(id);
        fails("Prompt not found", "prompt", "associate", "--key", key, "--prompt-id", "missing");
        fails("API key not found", "prompt", "associate", "--key", "orbit_unknown", "--prompt-id", id);
    }

    @Test
    void anUnknownPromptIsTheServersNotFound() {
        loginAsAdmin();

        fails("Prompt not found", "prompt", "get", "--id", "no-such-prompt");
        fails("Prompt not found", "prompt", "update", "--id", "no-such-prompt", "--prompt-text", "x");
        fails("Prompt not found", "prompt", "delete", "--id", "no-such-prompt", "--force");
    }

    @Test
    void promptCommandsNeedPromptsManageAndALogin() {
        fails("not logged in to " + gateway.url() + ": run orbit login", "prompt", "list");

        loginAsNew("alice", "auditor");

        fails("permission denied: Missing required permission(s): prompts.manage", "prompt", "list");
    }

    @Test
    void theTextComesFromExactlyOneSource() {
        Run run = orbit.run("prompt", "create", "--name", "x");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("orbit: missing required argument (specify one of these): (--file=F | --prompt-text=T)");
    }

    @Test
    void savingToADirectoryThatDoesNotExistSaysSo() {
        loginAsAdmin();
        String id = createPrompt("poet", "Answer in verse.");
        Path target = dir.resolve("nonexistent/dir/f.txt");

        fails("cannot write " + target + ": no such directory " + target.getParent(), "prompt", "get", "--id", id,
                "--save", target.toString());
    }

    @Test
    void unixTimesArePrintedAsPlainDecimalsAsTheReferencePrintsThem() {
        loginAsAdmin();

        Run created = ok("--output", "json", "prompt", "create", "--name", "t", "--prompt-text", "Be brief.");
        Run updated = ok("--output", "json", "prompt", "update", "--id", created.json().path("id").asText(),
                "--prompt-text", "Be briefer.");
        Run key = ok("--output", "json", "key", "create", "--adapter", TestGateway.ADAPTER, "--name", "k");

        for (Run run : java.util.List.of(created, updated)) {
            assertThat(run.out()).containsPattern("\"created_at\" : 1\\d{9}(\\.\\d+)?,")
                    .containsPattern("\"updated_at\" : 1\\d{9}(\\.\\d+)?\\R").doesNotContainPattern(": -?\\d+(\\.\\d+)?[Ee]");
        }
        assertThat(key.out()).containsPattern("\"created_at\" : 1\\d{9}(\\.\\d+)?,");
    }
}
