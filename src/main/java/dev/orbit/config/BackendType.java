package dev.orbit.config;

/** The persistence backends {@code internal_services.backend.type} can name. */
public enum BackendType {
    SQLITE,
    MONGODB,
    /** The reference ORBIT's name for its PostgreSQL backend. */
    POSTGRES
}
