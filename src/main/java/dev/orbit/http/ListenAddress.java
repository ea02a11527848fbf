package dev.orbit.http;

import dev.orbit.StartupException;
import dev.orbit.config.GeneralConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/**
 * The address the gateway is to listen on, checked before anything else starts: a mistyped host or a port in use
 * must stop {@code orbit serve} before it creates a database and prints a one-time admin password, and must say
 * why (Java's own messages are often {@code null} or only the address again).
 */
public final class ListenAddress {
    private ListenAddress() {
    }

    /**
     * Resolves the host and binds its port once, then lets go.
     *
     * @throws StartupException {@code cannot listen on HOST:PORT: <why>}
     */
    public static void check(GeneralConfig general) {
        InetAddress address;
        try {
            address = InetAddress.getByName(general.host());
        } catch (UnknownHostException | SecurityException e) {
            throw new StartupException(problem(general, "'" + general.host()
                    + "' is neither an IP address nor a host name that resolves"), e);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as Jetty binds: a port in TIME_WAIT is no obstacle
            socket.bind(new InetSocketAddress(address, general.port()));
        } catch (IOException e) {
            throw new StartupException(problem(general, e), e);
        }
    }

    /** {@code cannot listen on HOST:PORT: <why>} for a failure to bind. */
    static String problem(GeneralConfig general, Throwable failure) {
        return problem(general, reason(failure));
    }

    private static String problem(GeneralConfig general, String reason) {
        return "cannot listen on " + general.host() + ":" + general.port() + ": " + reason;
    }

    // The innermost cause says what the operating system refused; wrappers add only the address.
    private static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
            return "the host does not resolve to an address";
        }
        String message = cause.getMessage();
        if (cause instanceof BindException && message != null && message.startsWith("Address already in use")) {
            return "the port is already in use (is ORBIT already running? choose another with --port or general.port)";
        }
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
