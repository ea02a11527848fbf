package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/**
 * Tests log through logback-test.xml, so nothing else would notice a broken logback.xml; every {@code orbit}
 * command would then print logback's parse errors before its own output.
 */
class LoggingConfigurationTest {
    @Test
    void theShippedLogbackConfigurationIsWellFormedXml() {
        assertThatCode(() -> DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("src/main/resources/logback.xml").toFile())).doesNotThrowAnyException();
    }
}
