package dev.orbit.config;

/**
 * Where a configuration came from, so that it can be read and checked again while the gateway runs
 * ({@code POST /admin/reload-adapters}).
 */
@FunctionalInterface
public interface ConfigSource {
    /** A configuration read from no file (built in code): there is nothing to read again. */
    ConfigSource NONE = () -> {
        throw new ConfigException("the configuration was not read from a file: there is nothing to read again");
    };

    /** The configuration as the source holds it now, checked as at start-up; {@link ConfigException} if invalid. */
    OrbitConfig read();
}
