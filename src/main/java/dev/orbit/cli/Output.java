package dev.orbit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything a command prints: JSON for scripts ({@code --output json}: one valid document on standard output,
 * arrays for lists), or aligned tables and lines for people. Colour only on a terminal, never with
 * {@code --no-color}. Progress and prompts go to standard error so standard output stays parseable.
 */
final class Output {
    // Plain decimals, as the reference CLI (Python) prints unix times: never 1.7956851720384128E9.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String RESET = "\u001b[0m";

    /** A table column: its header and how a row shows in it. */
    record Column(String header, Function<JsonNode, String> value) {
        static Column text(String header, String field) {
            return new Column(header, row -> Output.text(row.path(field)));
        }
    }

    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;
    private final boolean color;

    Output(PrintWriter out, PrintWriter err, OutputFormat format, boolean color) {
        this.out = out;
        this.err = err;
        this.format = format;
        this.color = color;
    }

    boolean json() {
        return format == OutputFormat.JSON;
    }

    /** Prints a value (a {@link JsonNode}, map or list) as indented JSON. */
    void json(Object value) {
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print as JSON", e);
        }
    }

    /** The rows as JSON (an array), or as a table; {@code empty} is said when there are none. */
    void list(JsonNode rows, List<Column> columns, String empty) {
        if (json()) {
            json(rows);
            return;
        }
        if (rows.isEmpty()) {
            line(empty);
            return;
        }
        List<String[]> cells = new ArrayList<>();
        for (JsonNode row : rows) {
            cells.add(columns.stream().map(c -> oneLine(c.value().apply(row))).toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = width(columns.get(i).header());
            for (String[] row : cells) {
                widths[i] = Math.max(widths[i], width(row[i]));
            }
        }
        out.println(style("1", row(columns.stream().map(Column::header).toArray(String[]::new), widths)));
        for (String[] row : cells) {
            out.println(row(row, widths));
        }
        out.flush();
    }

    /** Named values, one per line and aligned: {@code Username:  admin}. */
    void fields(Map<String, String> fields) {
        int width = fields.keySet().stream().mapToInt(Output::width).max().orElse(0) + 1;
        fields.forEach((name, value) -> out.println(style("1", pad(name + ":", width)) + "  " + value));
        out.flush();
    }

    /** A line saying something worked (green on a terminal). */
    void success(String message) {
        out.println(style("32", message));
        out.flush();
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A warning on standard error (yellow on a terminal). */
    void warn(String message) {
        err.println(style("33", message));
        err.flush();
    }

    /** Progress on standard error, without a line break (dots while waiting). */
    void progress(String text) {
        err.print(text);
        err.flush();
    }

    /** Ends a line of progress. */
    void progressDone(String text) {
        err.println(text);
        err.flush();
    }

    /** A field's text, "-" for null or missing. */
    static String text(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "-";
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(v.asText()));
            return parts.isEmpty() ? "-" : String.join(",", parts);
        }
        return value.asText();
    }

    /** A time (ISO-8601 text or unix seconds) as {@code 2025-01-31 12:00:00} UTC; "-" when absent. */
    static String time(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "-";
        }
        if (value.isNumber()) {
            return TIME.format(Instant.ofEpochMilli(Math.round(value.doubleValue() * 1000)));
        }
        try {
            return TIME.format(Instant.parse(value.asText()));
        } catch (DateTimeParseException e) {
            return value.asText();
        }
    }

    static String yesNo(JsonNode value) {
        return value.asBoolean(false) ? "yes" : "no";
    }

    /** The start of a long text on one line, with an ellipsis when cut. */
    static String excerpt(String text, int length) {
        String line = oneLine(text);
        return line.length() <= length ? line : line.substring(0, length - 1) + "…";
    }

    private static String oneLine(String text) {
        return text == null ? "-" : text.replaceAll("\\s+", " ").strip();
    }

    private String style(String code, String text) {
        return color ? "\u001b[" + code + "m" + text + RESET : text;
    }

    private static String row(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(i == cells.length - 1 ? cells[i] : pad(cells[i], widths[i] + 2));
        }
        return line.toString().stripTrailing();
    }

    private static String pad(String text, int width) {
        int shown = width(text);
        return shown >= width ? text : text + " ".repeat(width - shown);
    }

    /**
     * How many terminal columns a text takes: East Asian wide and fullwidth characters take two, combining marks
     * and format characters none (what wcwidth says for the common cases), so tables of CJK names line up.
     */
    static int width(String text) {
        return text.codePoints().map(Output::width).sum();
    }

    private static int width(int c) {
        int type = Character.getType(c);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT) {
            return 0;
        }
        boolean wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF)
                || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF)
                || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F)
                || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F)
                || (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
        return wide ? 2 : 1;
    }
}
