package dev.orbit.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Asks the user for what the command line left out. On a terminal passwords are read without echo; without one
 * (a pipe, a script) each answer is one line of standard input, and running out of input is an error that
 * names the option to pass instead.
 */
final class Prompter {
    private final Console terminal;
    private final BufferedReader stdin;
    private final PrintWriter err;

    Prompter(Console terminal, BufferedReader stdin, PrintWriter err) {
        this.terminal = terminal;
        this.stdin = stdin;
        this.err = err;
    }

    boolean interactive() {
        return terminal != null;
    }

    /** A line of text; {@code option} names the flag that would have given it. */
    String line(String prompt, String option) {
        String value = terminal != null ? terminal.readLine("%s", prompt) : readLine(prompt);
        if (value == null) {
            throw new CliException("no input for " + prompt.replaceAll("[:\\s]+$", "").toLowerCase(Locale.ROOT)
                    + "; pass " + option);
        }
        return value.strip();
    }

    /** A password, without echo on a terminal. */
    String password(String prompt, String option) {
        if (terminal != null) {
            char[] value = terminal.readPassword("%s", prompt);
            if (value == null) {
                throw new CliException("no input for the password; pass " + option);
            }
            return new String(value);
        }
        String value = readLine(prompt);
        if (value == null) {
            throw new CliException("no input for the password; pass " + option);
        }
        return value;
    }

    /** A new password, typed twice on a terminal. */
    String newPassword(String prompt, String option) {
        String password = password(prompt, option);
        if (terminal != null && !password.equals(password("Repeat it: ", option))) {
            throw new CliException("the two passwords differ; nothing was changed");
        }
        return password;
    }

    /** An answer to a yes/no question. */
    enum Answer { YES, NO, NONE }

    /** Yes or no (anything but y/yes is no); NONE when the input ended without an answer. */
    Answer confirm(String question) {
        String answer;
        if (terminal != null) {
            answer = terminal.readLine("%s [y/N] ", question);
        } else {
            answer = readLine(question + " [y/N] ");
            if (answer != null) {
                err.println(); // the answer read from a pipe is not echoed: end the question's line
                err.flush();
            }
        }
        return answer == null ? Answer.NONE : switch (answer.strip().toLowerCase(Locale.ROOT)) {
            case "y", "yes" -> Answer.YES;
            default -> Answer.NO;
        };
    }

    private String readLine(String prompt) {
        err.print(prompt);
        err.flush();
        try {
            String line = stdin.readLine();
            if (line == null) {
                err.println();
                err.flush();
            }
            return line;
        } catch (IOException e) {
            throw new CliException("cannot read standard input: " + e.getMessage(), e);
        }
    }
}
