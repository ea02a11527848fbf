package dev.orbit.service;

import static dev.orbit.db.Filters.all;
import static dev.orbit.db.OrbitSchema.SYSTEM_PROMPTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orbit.db.DatabaseService;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PromptService} on one backend (a subclass per backend). */
abstract class PromptServiceTest extends ServiceTestBase {
    PromptService prompts;

    @BeforeEach
    void createService() {
        prompts = promptService(db());
    }

    @Test
    void create_stores_the_prompt_with_version_1_0_unless_given() {
        Prompt p = prompts.create("support", "You help.", null);
        assertThat(p.id()).isNotBlank();
        assertThat(p).extracting(Prompt::name, Prompt::prompt, Prompt::version).containsExactly("support", "You help.", "1.0");
        assertThat(p.createdAt()).isEqualTo(clock.instant());
        assertThat(prompts.create("sales", "Sell.", "v7").version()).isEqualTo("v7");
        assertThat(prompts.get(p.id())).isEqualTo(p);
    }

    @Test
    void creating_the_same_name_again_overwrites_that_prompt_and_keeps_its_id_and_creation_time() {
        Prompt first = prompts.create("support", "Old text.", "1.0");
        clock.advance(Duration.ofMinutes(5));
        Prompt second = prompts.create("support", "New text.", "2.0");
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.prompt()).isEqualTo("New text.");
        assertThat(second.version()).isEqualTo("2.0");
        assertThat(second.createdAt()).isEqualTo(first.createdAt());
        assertThat(second.updatedAt()).isEqualTo(clock.instant());
        assertThat(db().count(SYSTEM_PROMPTS, all())).isEqualTo(1);
    }

    @Test
    void concurrent_creates_of_one_name_leave_one_prompt() throws Exception {
        List<Prompt> made = AuthServiceTest.concurrently(16, () -> prompts.create("shared", "Text.", null));
        assertThat(made.stream().map(Prompt::id).distinct()).hasSize(1);
        assertThat(db().count(SYSTEM_PROMPTS, all())).isEqualTo(1);
    }

    @Test
    void create_refuses_blank_names_and_prompts_outside_1_to_25000_characters_with_422() {
        assertThat(prompts.create("max", "x".repeat(25_000), null).prompt()).hasSize(25_000);
        assertThatThrownBy(() -> prompts.create("long", "x".repeat(25_001), null))
                .isInstanceOfSatisfying(ServiceException.Unprocessable.class, e -> assertThat(e.field()).isEqualTo("prompt"));
        assertThatThrownBy(() -> prompts.create("empty", "", null)).isInstanceOf(ServiceException.Unprocessable.class);
        assertThatThrownBy(() -> prompts.create(" ", "text", null))
                .isInstanceOfSatisfying(ServiceException.Unprocessable.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> prompts.create("v", "text", " ")).isInstanceOf(ServiceException.Unprocessable.class);
        assertThat(db().count(SYSTEM_PROMPTS, all())).isEqualTo(1);
    }

    @Test
    void limits_count_characters_not_utf16_units_and_no_break_spaces_are_blank() {
        // 25,000 emoji are 50,000 UTF-16 units; the reference (Python) counts 25,000 characters.
        assertThat(prompts.create("emoji", "🚀".repeat(25_000), null).prompt()).hasSize(50_000);
        assertThatThrownBy(() -> prompts.create("more", "🚀".repeat(25_001), null))
                .isInstanceOf(ServiceException.Unprocessable.class);
        assertThatThrownBy(() -> prompts.create("\u00a0\u3000", "text", null))
                .isInstanceOfSatisfying(ServiceException.Unprocessable.class, e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void an_unknown_or_malformed_id_is_404_prompt_not_found() {
        for (String id : new String[] {"missing", "", "bad\u0001id", "x".repeat(500), null}) {
            assertThatThrownBy(() -> prompts.get(id)).isInstanceOf(ServiceException.NotFound.class)
                    .hasMessage("Prompt not found");
            assertThat(prompts.find(id)).isEmpty();
        }
        assertThatThrownBy(() -> prompts.update("missing", "text", null)).isInstanceOf(ServiceException.NotFound.class);
        assertThatThrownBy(() -> prompts.delete("missing")).isInstanceOf(ServiceException.NotFound.class);
    }

    @Test
    void list_filters_names_by_a_literal_case_insensitive_substring_and_pages() {
        for (String name : List.of("Support.EN", "support_de", "SUPPORTxen", "sales", "100%")) {
            prompts.create(name, "text", null);
        }
        assertThat(names(prompts.list("SUPPORT", 100, 0))).containsExactly("SUPPORTxen", "Support.EN", "support_de");
        assertThat(names(prompts.list("t.e", 100, 0))).containsExactly("Support.EN");
        assertThat(names(prompts.list("t_d", 100, 0))).containsExactly("support_de");
        assertThat(names(prompts.list("%", 100, 0))).containsExactly("100%");
        assertThat(names(prompts.list(".*", 100, 0))).isEmpty();
        assertThat(names(prompts.list(null, 2, 1))).containsExactly("SUPPORTxen", "Support.EN");
        assertThat(names(prompts.list("", 0, 0))).hasSize(1);
    }

    @Test
    void update_without_a_version_bumps_the_last_number_and_with_one_takes_it() {
        Prompt p = prompts.create("support", "v1 text", "1.0");
        clock.advance(Duration.ofSeconds(30));
        Prompt bumped = prompts.update(p.id(), "v2 text", null);
        assertThat(bumped.version()).isEqualTo("1.1");
        assertThat(bumped.updatedAt()).isEqualTo(clock.instant());
        assertThat(bumped.createdAt()).isEqualTo(p.createdAt());
        assertThat(prompts.get(p.id())).isEqualTo(bumped);
        assertThat(prompts.update(p.id(), "v3 text", "3.0").version()).isEqualTo("3.0");
        assertThat(prompts.update(p.id(), "v4 text", "").version()).isEqualTo("3.1");
        assertThatThrownBy(() -> prompts.update(p.id(), "", null)).isInstanceOf(ServiceException.Unprocessable.class);
    }

    @Test
    void the_version_bump_rule_increments_the_last_number_or_appends_dot_1() {
        assertThat(PromptService.bumpVersion("1.0")).isEqualTo("1.1");
        assertThat(PromptService.bumpVersion("v2")).isEqualTo("v3");
        assertThat(PromptService.bumpVersion("1.9")).isEqualTo("1.10");
        assertThat(PromptService.bumpVersion("2.0-beta")).isEqualTo("2.1-beta");
        assertThat(PromptService.bumpVersion("draft")).isEqualTo("draft.1");
        assertThat(PromptService.bumpVersion("99999999999999999999")).isEqualTo("100000000000000000000");
    }

    @Test
    void delete_removes_the_prompt_and_unlinks_the_keys_tied_to_it() {
        ApiKeyService keys = apiKeyService(db(), prompts);
        Prompt doomed = prompts.create("doomed", "text", null);
        Prompt kept = prompts.create("kept", "text", null);
        CreatedApiKey a = keys.create(ApiKeyRequest.of("a", "chat").withSystemPromptId(doomed.id()));
        CreatedApiKey b = keys.create(ApiKeyRequest.of("b", "chat").withSystemPromptId(kept.id()));
        assertThat(keys.validate(a.apiKey(), CallerIdentity.NONE).systemPrompt()).isEqualTo(doomed);

        prompts.delete(doomed.id());
        assertThatThrownBy(() -> prompts.get(doomed.id())).isInstanceOf(ServiceException.NotFound.class);
        assertThat(keys.detail(a.record().id()).systemPromptId()).isNull();
        assertThat(keys.detail(b.record().id()).systemPromptId()).isEqualTo(kept.id());
        // The chat path of this process sees the deletion at once, cache or not.
        assertThat(keys.validate(a.apiKey(), CallerIdentity.NONE).systemPrompt()).isNull();
        assertThatThrownBy(() -> prompts.delete(doomed.id())).isInstanceOf(ServiceException.NotFound.class);
    }

    @Test
    void cached_reads_see_changes_here_at_once_and_changes_of_another_process_within_the_ttl() {
        PromptService here = prompts;
        PromptService elsewhere = promptService(anotherHandle());
        Prompt p = here.create("support", "first", null);
        assertThat(here.find(p.id()).orElseThrow().prompt()).isEqualTo("first");
        assertThat(elsewhere.find(p.id()).orElseThrow().prompt()).isEqualTo("first");

        elsewhere.update(p.id(), "second", null);
        assertThat(elsewhere.find(p.id()).orElseThrow().prompt()).isEqualTo("second");
        assertThat(here.find(p.id()).orElseThrow().prompt()).as("cached up to the TTL").isEqualTo("first");
        clock.advance(JUST_OVER_CACHE_TTL);
        assertThat(here.find(p.id()).orElseThrow().prompt()).isEqualTo("second");

        here.delete(p.id());
        assertThat(here.find(p.id())).isEmpty();
        clock.advance(JUST_OVER_CACHE_TTL);
        assertThat(elsewhere.find(p.id())).isEmpty();
    }

    private static List<String> names(List<Prompt> list) {
        return list.stream().map(Prompt::name).toList();
    }
}
