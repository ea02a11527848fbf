package dev.orbit.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlacklistPatternTest {
    @Test
    void patternsAreTrimmedAndLowercasedAndValuesComparedTheSameWay() {
        BlacklistPattern pattern = BlacklistPattern.of("  *@Spam.Example ");
        assertThat(pattern.text()).isEqualTo("*@spam.example");
        assertThat(pattern.matches(" Bob@SPAM.example")).isTrue();
        assertThat(pattern.matches("bob@spam.example.org")).isFalse();
        assertThat(pattern.matches(null)).isFalse();
        assertThat(pattern.matches("")).isFalse();
    }

    @Test
    void starMatchesAnyRunAndQuestionMarkExactlyOneCharacter() {
        assertThat(BlacklistPattern.of("bot-?").matches("bot-7")).isTrue();
        assertThat(BlacklistPattern.of("bot-?").matches("bot-")).isFalse();
        assertThat(BlacklistPattern.of("bot-?").matches("bot-77")).isFalse();
        assertThat(BlacklistPattern.of("a*b*c").matches("abc")).isTrue();
        assertThat(BlacklistPattern.of("a*b*c").matches("axxbyyc")).isTrue();
        assertThat(BlacklistPattern.of("a*b*c").matches("axxbyy")).isFalse();
        assertThat(BlacklistPattern.of("*bob*").matches("bob")).isTrue();
        assertThat(BlacklistPattern.of("exact").matches("exact")).isTrue();
        assertThat(BlacklistPattern.of("exact").matches("exactly")).isFalse();
        // One character is one code point, not half of an emoji's surrogate pair.
        assertThat(BlacklistPattern.of("x?y").matches("x\uD83D\uDE00y")).isTrue();
    }

    @Test
    void regexSyntaxIsLiteral() {
        assertThat(BlacklistPattern.of("a.c").matches("abc")).isFalse();
        assertThat(BlacklistPattern.of("a.c").matches("a.c")).isTrue();
        assertThat(BlacklistPattern.of("[ab]+(x|y)\\d$").matches("[ab]+(x|y)\\d$")).isTrue();
        assertThat(BlacklistPattern.of("[ab]+").matches("a")).isFalse();
    }

    @Test
    void aPatternBuiltToBacktrackCatastrophicallyIsAnsweredInBoundedWork() {
        // With a backtracking matcher (a regex such as (a*)*b), 40 stars against 300 a's never finishes.
        String pattern = "a*".repeat(40) + "b";
        String value = "a".repeat(BlacklistPattern.MAX_LENGTH - 20);
        assertThat(BlacklistPattern.of(pattern).matches(value)).isFalse();
        assertThat(BlacklistPattern.of(pattern).matches(value + "b")).isTrue();
    }

    @Test
    void emptyOverlongAllWildcardAndControlCharacterPatternsAreRefused() {
        assertThatThrownBy(() -> BlacklistPattern.of("   ")).isInstanceOf(ServiceException.InvalidInput.class)
                .hasMessage("Pattern cannot be empty");
        assertThatThrownBy(() -> BlacklistPattern.of(null)).isInstanceOf(ServiceException.InvalidInput.class);
        assertThatThrownBy(() -> BlacklistPattern.of("x".repeat(321))).isInstanceOf(ServiceException.InvalidInput.class)
                .hasMessage("Pattern cannot exceed 320 characters");
        assertThat(BlacklistPattern.of("x".repeat(320)).text()).hasSize(320);
        assertThatThrownBy(() -> BlacklistPattern.of("*?*")).isInstanceOf(ServiceException.InvalidInput.class)
                .hasMessage("Pattern must contain at least one literal character");
        assertThatThrownBy(() -> BlacklistPattern.of("a\u0000b")).isInstanceOf(ServiceException.InvalidInput.class);
        assertThatThrownBy(() -> BlacklistPattern.of("a\uD800b")).isInstanceOf(ServiceException.InvalidInput.class);
    }
}
