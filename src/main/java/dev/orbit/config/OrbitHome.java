package dev.orbit.config;

import java.nio.file.Path;
import java.util.Map;

/** The project root: {@code ORBIT_HOME} (exported by {@code bin/orbit}), else the current working directory. */
public final class OrbitHome {
    public static final String VARIABLE = "ORBIT_HOME";

    private OrbitHome() {
    }

    /** The absolute home directory for this environment. */
    public static Path resolve(Map<String, String> env) {
        String value = env.get(VARIABLE);
        Path home = value == null || value.isBlank() ? Path.of("") : Path.of(value);
        return home.toAbsolutePath().normalize();
    }
}
