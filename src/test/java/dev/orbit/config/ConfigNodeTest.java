package dev.orbit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {
    private static ConfigNode node(String yaml) {
        try {
            return ConfigNode.root("test.yaml", new YAMLMapper().readTree(yaml));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anIntegerMayBeWrittenAsNumberOrAsText() {
        ConfigNode general = node("general: {port: 8080, other: ' 9090 '}").section("general");

        assertThat(general.integer("port", 1, 0, 65535)).isEqualTo(8080);
        assertThat(general.integer("other", 1, 0, 65535)).isEqualTo(9090);
    }

    @Test
    void anAbsentIntegerTakesTheDefault() {
        assertThat(node("general: {}").section("general").integer("port", 3000, 0, 65535)).isEqualTo(3000);
    }

    @Test
    void textWhereAnIntegerBelongsNamesKeyBoundsAndValue() {
        ConfigNode general = node("general: {port: abc}").section("general");

        assertThatThrownBy(() -> general.integer("port", 3000, 0, 65535))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: general.port: expected an integer between 0 and 65535, got 'abc'");
    }

    @Test
    void aFractionWhereAnIntegerBelongsIsRefused() {
        ConfigNode general = node("general: {port: 3000.5}").section("general");

        assertThatThrownBy(() -> general.integer("port", 3000, 0, 65535))
                .hasMessage("test.yaml: general.port: expected an integer between 0 and 65535, got 3000.5");
    }

    @Test
    void anIntegerOutOfBoundsNamesTheBounds() {
        ConfigNode general = node("general: {port: 70000}").section("general");

        assertThatThrownBy(() -> general.integer("port", 3000, 0, 65535))
                .hasMessage("test.yaml: general.port: expected an integer between 0 and 65535, got 70000");
    }

    @Test
    void aBooleanMayBeWrittenAsTextInAnyCase() {
        ConfigNode section = node("s: {a: true, b: 'FALSE', c: 'True'}").section("s");

        assertThat(section.bool("a", false)).isTrue();
        assertThat(section.bool("b", true)).isFalse();
        assertThat(section.bool("c", false)).isTrue();
    }

    @Test
    void anythingElseWhereABooleanBelongsIsRefused() {
        ConfigNode section = node("s: {a: maybe}").section("s");

        assertThatThrownBy(() -> section.bool("a", false))
                .hasMessage("test.yaml: s.a: expected true or false, got 'maybe'");
    }

    @Test
    void aChoiceIgnoresCaseAndListsTheAllowedValuesWhenWrong() {
        ConfigNode section = node("s: {unit: Seconds, bad: weeks}").section("s");

        assertThat(section.choice("unit", TimeUnit.class, TimeUnit.DAYS)).isEqualTo(TimeUnit.SECONDS);
        assertThatThrownBy(() -> section.choice("bad", TimeUnit.class, TimeUnit.DAYS))
                .hasMessage("test.yaml: s.bad: expected one of nanoseconds, microseconds, milliseconds, seconds,"
                        + " minutes, hours, days, got 'weeks'");
    }

    @Test
    void nullAndEmptyStringCountAsAbsent() {
        ConfigNode section = node("s: {a: , b: '', c: x}").section("s");

        assertThat(section.string("a", "default")).isEqualTo("default");
        assertThat(section.string("b", "default")).isEqualTo("default");
        assertThat(section.keys()).containsExactly("c");
    }

    @Test
    void numbersAreReadAsStringsAsWritten() {
        assertThat(node("s: {version: 1.0, n: 42}").section("s").string("n")).contains("42");
    }

    @Test
    void aMappingWhereAStringBelongsIsRefused() {
        ConfigNode section = node("s: {a: {b: c}}").section("s");

        assertThatThrownBy(() -> section.string("a")).hasMessage("test.yaml: s.a: expected a string, got a mapping");
    }

    @Test
    void aMissingRequiredStringIsAnError() {
        assertThatThrownBy(() -> node("s: {}").section("s").requiredString("name"))
                .hasMessage("test.yaml: s.name: required but missing");
    }

    @Test
    void aScalarWhereASectionBelongsIsRefused() {
        assertThatThrownBy(() -> node("auth: yes please").section("auth"))
                .hasMessage("test.yaml: auth: expected a mapping, got 'yes please'");
    }

    @Test
    void anAbsentSectionIsEmptyAndKeepsItsPathForMessages() {
        ConfigNode deep = node("{}").section("a").section("b");

        assertThat(deep.keys()).isEmpty();
        assertThatThrownBy(() -> deep.requiredString("c")).hasMessage("test.yaml: a.b.c: required but missing");
    }

    @Test
    void aListOfMappingsGivesSectionsWithIndexedPaths() {
        ConfigNode root = node("adapters:\n  - {name: a}\n  - {name: b, port: x}\n");

        var adapters = root.sectionList("adapters");

        assertThat(adapters).extracting(a -> a.requiredString("name")).containsExactly("a", "b");
        assertThatThrownBy(() -> adapters.get(1).integer("port", 1, 1, 2))
                .hasMessage("test.yaml: adapters[1].port: expected an integer between 1 and 2, got 'x'");
        assertThatThrownBy(() -> node("adapters: [a]").sectionList("adapters"))
                .hasMessage("test.yaml: adapters[0]: expected a mapping, got 'a'");
    }

    @Test
    void anHttpHeaderNameIsChecked() {
        ConfigNode section = node("s: {good: X-API-Key, bad: 'X API Key'}").section("s");

        assertThat(section.headerName("good", "X")).isEqualTo("X-API-Key");
        assertThatThrownBy(() -> section.headerName("bad", "X"))
                .hasMessage("test.yaml: s.bad: expected an HTTP header name (letters, digits, '-'), got 'X API Key'");
    }

    @Test
    void theTreeIsACopySoTheConfigurationCannotBeChangedThroughIt() {
        ConfigNode root = node("s: {a: b}");

        ((ObjectNode) root.tree()).put("s", "changed");

        assertThat(root.section("s").string("a")).contains("b");
    }

    @Test
    void theTopLevelMustBeAMapping() {
        JsonNode list = new YAMLMapper().createArrayNode().add("x");

        assertThatThrownBy(() -> ConfigNode.root("test.yaml", list))
                .hasMessage("test.yaml: expected a mapping at the top level, got a list");
    }

    @Test
    void toStringShowsNoValues() {
        assertThat(node("auth: {default_admin_password: hunter2}").section("auth").toString())
                .isEqualTo("ConfigNode[test.yaml: auth]");
    }
}
