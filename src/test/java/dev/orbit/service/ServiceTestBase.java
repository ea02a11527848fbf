package dev.orbit.service;

import dev.orbit.db.DatabaseService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the service tests that run on every backend: a subclass per backend says how to open a database
 * in a directory. Each test gets a fresh directory; everything opened is closed after it.
 */
abstract class ServiceTestBase {
    /** Hashing fast enough for tests; production uses 600,000 rounds. */
    static final PasswordSettings FAST_PASSWORDS = new PasswordSettings(1_000, 1_000, 2, 256);
    static final AdapterCatalog ADAPTERS = AdapterCatalog.of(List.of(new AdapterCatalog.Adapter("chat", true),
            new AdapterCatalog.Adapter("other", true), new AdapterCatalog.Adapter("off", false)));

    @TempDir
    Path tempDir;

    final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private DatabaseService db;

    /**
     * A new handle on the database kept in {@code dir}: each call must return a separate handle (own
     * connections), as a second server process would have, on the same data.
     */
    protected abstract DatabaseService openDatabase(Path dir);

    /** The test's database (one handle, opened on first use). */
    DatabaseService db() {
        if (db == null) {
            db = anotherHandle();
        }
        return db;
    }

    /** Another handle on the same database, as a second process would open it. */
    DatabaseService anotherHandle() {
        return closeLater(openDatabase(tempDir));
    }

    <T extends AutoCloseable> T closeLater(T resource) {
        opened.push(resource);
        return resource;
    }

    static AuthSettings authSettings() {
        return AuthSettings.defaults().withPasswords(FAST_PASSWORDS).withDefaultAdminPassword("admin-Secret1");
    }

    AuthService authService(DatabaseService database, AuthSettings settings) {
        return closeLater(new AuthService(database, settings, clock));
    }

    PromptService promptService(DatabaseService database) {
        return new PromptService(database, PromptSettings.defaults(), clock);
    }

    ApiKeyService apiKeyService(DatabaseService database, PromptService prompts) {
        return new ApiKeyService(database, ApiKeySettings.defaults(), ADAPTERS, prompts, clock);
    }

    ChatHistoryService chatHistoryService(DatabaseService database, ChatHistorySettings settings) {
        return new ChatHistoryService(database, settings, clock);
    }

    static final Duration JUST_OVER_CACHE_TTL = Duration.ofMillis(1_001);

    @AfterEach
    void closeEverything() throws Exception {
        Exception first = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
