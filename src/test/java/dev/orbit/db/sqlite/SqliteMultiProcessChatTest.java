package dev.orbit.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orbit.db.OrbitSchema;
import dev.orbit.service.ChatHistoryService;
import dev.orbit.service.ChatHistorySettings;
import dev.orbit.service.ChatMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes storing the turns of one conversation on one database file, taking turns and waiting for
 * each acknowledgement, with clocks that stand still (so nothing but the database can order the turns); each turn
 * reads its context first, as a chat route does, and sees the other process's turns.
 */
class SqliteMultiProcessChatTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int TURNS = 12;

    @TempDir
    Path dir;

    @Test
    void turns_alternating_between_two_processes_are_stored_once_each_in_acknowledgement_order() throws Exception {
        Path file = dir.resolve("shared.db");
        List<String> expected = new ArrayList<>();
        List<String> acknowledged = new ArrayList<>();
        try (ChildJvm first = ChildJvm.start(dir, ChatTurnsMain.class, file.toString(), "2026-03-01T10:00:00Z");
             ChildJvm second = ChildJvm.start(dir, ChatTurnsMain.class, file.toString(), "2026-03-01T10:00:00Z")) {
            first.awaitLine("READY"::equals, LIMIT);
            second.awaitLine("READY"::equals, LIMIT);
            for (String session : List.of("distinct", "same-words")) {
                for (int i = 0; i < TURNS; i++) {
                    ChildJvm writer = i % 2 == 0 ? first : second;
                    String text = session.equals("distinct") ? "m" + i : "yes";
                    int before = (int) writer.stdout().stream().filter(l -> l.startsWith("ACK ")).count();
                    writer.send("TURN " + session + " " + text);
                    String[] ack = writer.awaitLines(l -> l.startsWith("ACK "), before + 1, LIMIT).get(before).split(" ");
                    assertThat(ack[3]).as("turn " + i + " of " + session + " taken for a retry").isEqualTo("false");
                    // The context holds every acknowledged message, the other process's too: a process's context
                    // window (ContextWindows) must not hide the turns stored by the other one.
                    assertThat(Integer.parseInt(ack[4])).as("context of turn " + i + " of " + session).isEqualTo(2 * i);
                    assertThat(ack[5]).as("newest message in the context of turn " + i)
                            .isEqualTo(i == 0 ? "-" : "Echo:_" + (session.equals("distinct") ? "m" + (i - 1) : "yes"));
                    expected.add(session + ": " + text);
                    expected.add(session + ": Echo: " + text);
                    acknowledged.add(ack[1]);
                    acknowledged.add(ack[2]);
                }
            }
            first.send("EXIT");
            second.send("EXIT");
            assertThat(first.waitFor(LIMIT)).as(first.stderrText()).isZero();
            assertThat(second.waitFor(LIMIT)).as(second.stderrText()).isZero();
        }

        try (SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(file), OrbitSchema.SCHEMA)) {
            db.initialize();
            ChatHistoryService history = new ChatHistoryService(db, ChatHistorySettings.defaults(), Clock.systemUTC());
            List<ChatMessage> stored = new ArrayList<>(history.latest("distinct", 500));
            stored.addAll(history.latest("same-words", 500));
            assertThat(stored).extracting(m -> m.sessionId() + ": " + m.content()).containsExactlyElementsOf(expected);
            assertThat(stored).extracting(ChatMessage::messageId).containsExactlyElementsOf(acknowledged);
        }
    }
}
