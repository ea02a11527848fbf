/**
 * What the gateway reports about itself: the Micrometer registry behind {@code /metrics}, the meters of HTTP
 * requests, chat turns, provider calls and database operations, the JVM and process, and the figures of
 * {@code /metrics/json}. It sits between the database layer (whose operations it times) and the services and
 * routes (which feed it); it imports nothing from them.
 */
package dev.orbit.observability;
