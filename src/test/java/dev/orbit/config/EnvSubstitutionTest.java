package dev.orbit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {
    private final EnvSubstitution env = new EnvSubstitution(Map.of("HOST", "db.local", "PORT", "27017", "EMPTY", ""));

    @Test
    void aSetVariableIsReplacedByItsValue() {
        assertThat(env.substitute("${HOST}")).contains("db.local");
    }

    @Test
    void severalReferencesInOneStringAreAllReplaced() {
        assertThat(env.substitute("mongodb://${HOST}:${PORT}/${DB:-orbit}")).contains("mongodb://db.local:27017/orbit");
    }

    @Test
    void theDefaultIsUsedWhenTheVariableIsUnset() {
        assertThat(env.substitute("${MISSING:-sqlite}")).contains("sqlite");
    }

    @Test
    void theDefaultIsUsedWhenTheVariableIsEmpty() {
        assertThat(env.substitute("${EMPTY:-fallback}")).contains("fallback");
    }

    @Test
    void aSetVariableWinsOverTheDefault() {
        assertThat(env.substitute("${HOST:-localhost}")).contains("db.local");
    }

    @Test
    void anUnsetVariableWithoutDefaultMakesTheValueAbsent() {
        assertThat(env.substitute("prefix-${MISSING}")).isEmpty();
    }

    @Test
    void anEmptyVariableWithoutDefaultMakesTheValueAbsent() {
        assertThat(env.substitute("${EMPTY}")).isEmpty();
    }

    @Test
    void anEmptyDefaultMakesTheValueAbsent() {
        assertThat(env.substitute("${MISSING:-}")).isEmpty();
    }

    @Test
    void aDoubledDollarIsALiteralReference() {
        assertThat(env.substitute("cost $${HOST} and $5")).contains("cost ${HOST} and $5");
    }

    @Test
    void textWithoutReferencesIsUnchanged() {
        assertThat(env.substitute("plain $HOST {x}")).contains("plain $HOST {x}");
    }

    @Test
    void anUnterminatedReferenceIsAnError() {
        assertThatThrownBy(() -> env.substitute("abc${HOST"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated '${' at character 4");
    }

    @Test
    void aMalformedNameIsAnError() {
        assertThatThrownBy(() -> env.substitute("${NOT A NAME}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid variable reference '${NOT A NAME}', expected ${NAME} or ${NAME:-default}");
    }

    @Test
    void theTreeLosesAbsentKeysAndListItemsAndKeepsOtherScalars() throws Exception {
        JsonNode tree = new YAMLMapper().readTree("""
                a:
                  host: ${HOST}
                  user: ${MISSING}
                  port: 27017
                  on: true
                  nothing:
                list: [x, "${MISSING}", "${PORT}"]
                """);

        JsonNode result = env.substitute(tree, "test.yaml");

        assertThat(result.toString()).isEqualTo("{\"a\":{\"host\":\"db.local\",\"port\":27017,\"on\":true},\"list\":[\"x\",\"27017\"]}");
        assertThat(tree.at("/a/user").textValue()).as("the input is not modified").isEqualTo("${MISSING}");
    }

    @Test
    void aMalformedReferenceInTheTreeNamesItsKeyPath() throws Exception {
        JsonNode tree = new YAMLMapper().readTree("a:\n  list:\n    - ok\n    - ${oops\n");

        assertThatThrownBy(() -> env.substitute(tree, "test.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml: a.list[1]: unterminated '${' at character 1");
    }
}
