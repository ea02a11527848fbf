package dev.orbit.http;

/** The backends every HTTP test runs on. */
enum TestBackend {
    SQLITE,
    MONGODB,
    POSTGRES
}
