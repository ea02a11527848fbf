package dev.orbit.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the {@code orbit} command takes from the world it runs in, passed in so tests can use their own: the
 * environment variables, the user's home directory (where {@code ~/.orbit/} lives), standard input, the
 * terminal (null when there is none: passwords are then read as plain lines), and the command that runs
 * {@code orbit} itself (for {@code orbit start}, which launches {@code orbit serve} in the background).
 *
 * @param terminal    the console to prompt on without echo, or null when input or output is not a terminal
 * @param colorOutput whether standard output is a terminal, where colour may be used
 * @param selfCommand the program and arguments that run this {@code orbit} (e.g. {@code java -jar orbit.jar})
 */
public record CliEnvironment(Map<String, String> env, Path userHome, BufferedReader stdin, Console terminal,
                             boolean colorOutput, List<String> selfCommand) {
    public CliEnvironment {
        env = Map.copyOf(env);
        Objects.requireNonNull(userHome, "userHome");
        Objects.requireNonNull(stdin, "stdin");
        selfCommand = List.copyOf(selfCommand);
    }

    /** The real process: its home, {@code System.in}, the console if it is a terminal, this JVM's command. */
    public static CliEnvironment system(Map<String, String> env) {
        Console console = System.console();
        boolean terminal = console != null && isTerminal(console);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
        return new CliEnvironment(env, home(env), stdin, terminal ? console : null, terminal, currentJvmCommand());
    }

    // $HOME, as the reference CLI and every Unix tool use it; Java's user.home comes from the passwd entry and
    // ignores HOME (HOME=/tmp/x orbit login would write the real ~/.orbit/).
    private static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /**
     * The command that runs {@code orbit} in this JVM's way: {@code java -jar orbit.jar} when it runs from one jar,
     * else {@code java -cp <class path> dev.orbit.Main}.
     */
    static List<String> currentJvmCommand() {
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path", "");
        List<String> command = new ArrayList<>(List.of(javaBinary));
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            command.addAll(List.of("-jar", classPath));
        } else {
            if (Runtime.version().feature() >= 22) {
                command.add("--enable-native-access=ALL-UNNAMED"); // the jar's manifest says so; a class path cannot
            }
            command.addAll(List.of("-cp", classPath, "dev.orbit.Main"));
        }
        return command;
    }

    // JDK 22+ returns a Console even when the streams are redirected; only isTerminal() (22+) tells them apart.
    private static boolean isTerminal(Console console) {
        try {
            Method method = Console.class.getMethod("isTerminal");
            return (Boolean) method.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: System.console() is null unless both streams are a terminal
        }
    }
}
