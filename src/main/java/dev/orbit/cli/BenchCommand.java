package dev.orbit.cli;

import dev.orbit.bench.BenchTarget;
import dev.orbit.bench.ChatTurnBenchmark;
import dev.orbit.bench.MongoBenchTarget;
import dev.orbit.bench.PostgresBenchTarget;
import dev.orbit.bench.SqliteBenchTarget;
import dev.orbit.bench.StorageBenchmark;
import dev.orbit.db.sqlite.SqliteOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code orbit bench}: benchmarks that print their figures (performance is measured here, not in tests). */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.Storage.class, BenchCommand.Turns.class},
        description = "Run a benchmark and print its figures.")
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "Missing benchmark: orbit bench storage|turns");
    }

    /** {@code orbit bench storage}: ORBIT's SQLite storage against raw sqlite-jdbc on one file. */
    @Command(name = "storage", mixinStandardHelpOptions = true,
            description = "(a) raw batched inserts, (b) concurrent insertOne, (c) findMany of a session's latest"
                    + " 50 messages, (d) the same read in raw JDBC; one database file, one run.")
    static final class Storage implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        Backend backend;

        @Option(names = "--rows", description = "Rows in chat_history before the reads (default: ${DEFAULT-VALUE}).",
                defaultValue = "1000000")
        long rows;

        @Option(names = "--concurrent-rows", description = "Rows inserted by insertOne (default: ${DEFAULT-VALUE}).",
                defaultValue = "64000")
        int concurrentRows;

        @Option(names = "--threads", description = "Concurrent insertOne threads (default: ${DEFAULT-VALUE}).",
                defaultValue = "32")
        int threads;

        @Option(names = "--queries", description = "Measured read queries of each kind (default: ${DEFAULT-VALUE}).",
                defaultValue = "20000")
        int queries;

        @Override
        public Integer call() throws Exception {
            if (rows < 50 || concurrentRows < 1 || threads < 1 || queries < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--rows must be >= 50 and the other counts >= 1");
            }
            StorageBenchmark benchmark = new StorageBenchmark(
                    new StorageBenchmark.Settings(rows, 50, concurrentRows, threads, queries), spec.commandLine().getOut());
            try (BenchTarget target = backend.open()) {
                benchmark.run(target);
            }
            return 0;
        }
    }

    /** {@code orbit bench turns}: the storage side of a chat turn (history read, turn stored) per backend. */
    @Command(name = "turns", mixinStandardHelpOptions = true,
            description = "Chat turns as the chat routes store them (forTurn then addTurn) from many virtual threads"
                    + " on random sessions, without HTTP or a provider: turns/s and process CPU per turn.")
    static final class Turns implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        Backend backend;

        @Option(names = "--sessions", description = "Sessions the turns go to (default: ${DEFAULT-VALUE}).",
                defaultValue = "5000")
        int sessions;

        @Option(names = "--turns", description = "Measured turns (default: ${DEFAULT-VALUE}).", defaultValue = "30000")
        int turns;

        @Option(names = "--warmup", description = "Turns before measuring (default: ${DEFAULT-VALUE}).",
                defaultValue = "30000")
        int warmup;

        @Option(names = "--threads", description = "Concurrent callers, virtual threads (default: ${DEFAULT-VALUE}).",
                defaultValue = "64")
        int threads;

        @Override
        public Integer call() throws Exception {
            if (sessions < 1 || turns < 1 || warmup < 0 || threads < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--sessions, --turns and --threads must be >= 1, --warmup >= 0");
            }
            ChatTurnBenchmark benchmark = new ChatTurnBenchmark(
                    new ChatTurnBenchmark.Settings(sessions, turns, warmup, threads), spec.commandLine().getOut());
            try (BenchTarget target = backend.open()) {
                benchmark.run(target);
            }
            return 0;
        }
    }

    /** Which database a benchmark runs on: a scratch SQLite file by default. */
    static final class Backend {
        @Option(names = "--db", paramLabel = "FILE", description = "Scratch SQLite file, deleted first"
                + " (default: ${DEFAULT-VALUE}).", defaultValue = "target/bench/orbit-bench.db")
        Path file;

        @Option(names = "--mongodb-uri", paramLabel = "URI", description = "Benchmark MongoDB instead: the database"
                + " named in the URI (default orbit_bench) is dropped first.")
        String mongodbUri;

        @Option(names = "--postgres-url", paramLabel = "URL", description = "Benchmark PostgreSQL instead:"
                + " postgresql://USER:PASSWORD@HOST:PORT/DATABASE (ORBIT's tables in it are dropped first).")
        String postgresUrl;

        @Option(names = "--synchronous", description = "SQLite: off, normal, full or extra (default: ${DEFAULT-VALUE}).",
                defaultValue = "NORMAL", converter = SynchronousConverter.class)
        SqliteOptions.Synchronous synchronous;

        BenchTarget open() throws Exception {
            return postgresUrl != null ? new PostgresBenchTarget(postgresUrl)
                    : mongodbUri != null ? new MongoBenchTarget(mongodbUri)
                    : new SqliteBenchTarget(SqliteOptions.defaults(file).withSynchronous(synchronous));
        }
    }

    /** Accepts the synchronous level in any case, as the config file does. */
    static final class SynchronousConverter implements picocli.CommandLine.ITypeConverter<SqliteOptions.Synchronous> {
        @Override
        public SqliteOptions.Synchronous convert(String value) {
            return SqliteOptions.Synchronous.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }
}
