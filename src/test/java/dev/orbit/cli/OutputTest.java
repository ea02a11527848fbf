package dev.orbit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTest {
    private final StringWriter out = new StringWriter();
    private final Output output = new Output(new PrintWriter(out), new PrintWriter(new StringWriter()),
            OutputFormat.TABLE, false);

    @Test
    void tableColumnsAlignByDisplayWidthSoWideCharactersLineUp() throws Exception {
        var rows = new ObjectMapper().readTree("""
                [{"name": "日本語のプロンプト", "version": "1.0"}, {"name": "plain", "version": "2.0"},
                 {"name": "café", "version": "3.0"}]""");

        output.list(rows, List.of(Output.Column.text("NAME", "name"), Output.Column.text("VERSION", "version")), "none");

        assertThat(out).hasToString("""
                NAME                VERSION
                日本語のプロンプト  1.0
                plain               2.0
                café                3.0
                """);
    }

    @Test
    void displayWidthCountsWideCharactersTwiceAndCombiningMarksNotAtAll() {
        assertThat(Output.width("abc")).isEqualTo(3);
        assertThat(Output.width("日本")).isEqualTo(4);
        assertThat(Output.width("cafe\u0301")).isEqualTo(4);
        assertThat(Output.width("한국어")).isEqualTo(6);
        assertThat(Output.width("ｆｕｌｌ")).isEqualTo(8);
    }
}
