package dev.orbit.bench;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.orbit.Gateway;
import dev.orbit.cli.OrbitCommand;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code orbit bench storage} against the in-process MongoDB wire-protocol server (a test
 * dependency, hence here): {@code bin/bench-mongo-wire [bench storage options]}. Its figures measure the
 * driver and ORBIT's MongoDB layer over real TCP, not a real MongoDB's storage engine.
 */
public final class WireServerBenchmark {
    private WireServerBenchmark() {
    }

    public static void main(String[] args) {
        MongoServer server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        int status;
        try {
            List<String> command = new ArrayList<>(List.of("bench", "storage", "--mongodb-uri",
                    "mongodb://127.0.0.1:" + address.getPort() + "/orbit_bench"));
            command.addAll(List.of(args));
            status = OrbitCommand.commandLine(Map.of(), Gateway::openDatabase).execute(command.toArray(String[]::new));
        } finally {
            server.shutdownNow();
        }
        System.exit(status);
    }
}
