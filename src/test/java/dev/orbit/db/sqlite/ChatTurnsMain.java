package dev.orbit.db.sqlite;

import dev.orbit.db.OrbitSchema;
import dev.orbit.service.ApiKeyFingerprint;
import dev.orbit.service.ChatHistoryService;
import dev.orbit.service.ChatHistorySettings;
import dev.orbit.service.ChatTurn;
import dev.orbit.service.NewMessage;
import dev.orbit.service.TurnHistory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Child process of {@link SqliteMultiProcessChatTest}: a chat history service on the database file (as one
 * gateway process has), with a clock that stands still at {@code args[1]}. For each stdin line
 * {@code TURN <session> <text>} it stores a turn (the text, and "Echo: " + the text) and prints
 * {@code ACK <user message id> <assistant message id> <replayed> <context size> <newest context message>} once it
 * is stored, after reading the turn's context as a chat route does (spaces in the message as underscores).
 */
public final class ChatTurnsMain {
    static final String KEY = "orbit_MULTIPROCESSMULTIPROCESSMULTIPRO";

    private ChatTurnsMain() {
    }

    public static void main(String[] args) throws Exception {
        SqliteDatabaseService db = new SqliteDatabaseService(SqliteOptions.defaults(Path.of(args[0])), OrbitSchema.SCHEMA);
        db.initialize();
        ChatHistoryService history = new ChatHistoryService(db, ChatHistorySettings.defaults(),
                Clock.fixed(Instant.parse(args[1]), ZoneOffset.UTC));
        ApiKeyFingerprint key = ApiKeyFingerprint.of(KEY);
        System.out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("EXIT")) {
            String[] command = line.split(" ", 3);
            // As a chat route runs a turn: the context first (from this process's window when it is still right),
            // then the turn stored where that read found the session's end.
            TurnHistory read = history.forTurn(command[1], key, "user-1", 1_000_000, 500, null);
            ChatTurn turn = history.addTurn(command[1], key, "user-1", NewMessage.user(command[2]),
                    NewMessage.assistant("Echo: " + command[2]), null, read.end());
            String last = read.context().isEmpty() ? "-" : read.context().getLast().content().replace(' ', '_');
            System.out.println("ACK " + turn.user().messageId() + " " + turn.assistant().messageId() + " "
                    + turn.replayed() + " " + read.context().size() + " " + last);
        }
        db.close();
    }
}
