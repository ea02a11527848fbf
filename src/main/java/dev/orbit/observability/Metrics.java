package dev.orbit.observability;

import dev.orbit.config.MonitoringConfig;
import dev.orbit.db.BackendMeter;
import dev.orbit.db.CollectionSpec;
import dev.orbit.db.DatabaseService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The gateway's meters, kept in one Prometheus registry, when {@code monitoring.enabled} is on (the default). Off,
 * nothing is measured at all: the database is not wrapped, requests are not counted and the chat meters do
 * nothing, so the switch also measures what metrics cost. One per gateway, closed with it.
 */
public final class Metrics implements AutoCloseable {
    private final MonitoringConfig config;
    private final PrometheusMeterRegistry registry;
    private final HttpMetrics http;
    private final ChatMetrics chat;
    private final Dashboard dashboard;
    private final JvmGcMetrics gc;
    // Micrometer holds the state of function meters weakly: the backends' meters must be held here.
    private final List<BackendMeter> backendMeters = new CopyOnWriteArrayList<>();

    private Metrics(MonitoringConfig config, PrometheusMeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        if (registry == null) {
            http = null;
            chat = null;
            dashboard = null;
            gc = null;
            return;
        }
        ProcessStats process = new ProcessStats();
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // The contract's two process gauges, beside Micrometer's standard process_* and jvm_* ones.
        Gauge.builder("orbit.cpu.usage.percent", process, ProcessStats::cpuPercent)
                .description("the process's CPU use, in percent of the machine").register(registry);
        Gauge.builder("orbit.memory.usage.mb", process, p -> p.residentBytes() / (1024.0 * 1024))
                .description("the process's resident memory in MiB").register(registry);
        http = new HttpMetrics(registry);
        chat = new ChatMetrics(registry);
        dashboard = new Dashboard(registry, process, config);
    }

    /** The meters the configuration asks for (none when {@code monitoring.enabled} is false). */
    public static Metrics fromConfig(MonitoringConfig config) {
        return new Metrics(config, config.enabled() ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null);
    }

    /** Nothing measured: for services wired without a configuration. */
    public static Metrics off() {
        return new Metrics(MonitoringConfig.defaults().disabled(), null);
    }

    /** Whether anything is measured. */
    public boolean enabled() {
        return registry != null;
    }

    public MonitoringConfig config() {
        return config;
    }

    /**
     * The database with every operation timed and the backend's own gauges (pool, writer) registered; the
     * database itself when metrics are off.
     */
    public DatabaseService instrument(DatabaseService db) {
        if (registry == null) {
            return db;
        }
        List<BackendMeter> meters = db.meters();
        backendMeters.addAll(meters);
        for (BackendMeter meter : meters) {
            String name = "orbit." + meter.name().replace('_', '.');
            Tags tags = Tags.of(meter.tags().entrySet().stream().map(e -> Tag.of(e.getKey(), e.getValue()))
                    .toList()).and("backend", db.backendName());
            switch (meter.kind()) {
                case GAUGE -> Gauge.builder(name, meter.value()::getAsDouble).description(meter.description())
                        .tags(tags).register(registry);
                case COUNTER -> FunctionCounter.builder(name, meter, m -> m.value().getAsDouble())
                        .description(meter.description()).tags(tags).register(registry);
            }
        }
        var collections = db.schema().collections().stream().map(CollectionSpec::name).collect(Collectors.toSet());
        return new TimedDatabaseService(db, new DatabaseMeters(registry, db.backendName(), collections));
    }

    /** The HTTP meters, when metrics are on. */
    public Optional<HttpMetrics> http() {
        return Optional.ofNullable(http);
    }

    /** Records a finished chat turn; nothing when metrics are off. */
    public void chatTurn(String adapter, String model, String provider, String outcome, long inputTokens,
                         long outputTokens) {
        if (chat != null) {
            chat.turn(adapter, model, provider, outcome, inputTokens, outputTokens);
        }
    }

    /** Records a provider call; nothing when metrics are off. */
    public void providerCall(String adapter, String model, String provider, String status, long nanos) {
        if (chat != null) {
            chat.providerCall(adapter, model, provider, status, nanos);
        }
    }

    /** Every meter in Prometheus's text format (version 0.0.4). */
    public String scrape() {
        return requireRegistry().scrape();
    }

    /** The figures of {@code /metrics/json}. */
    public Map<String, Object> dashboard() {
        requireRegistry();
        return dashboard.json();
    }

    /** The registry, for tests and for binding more meters. */
    public MeterRegistry registry() {
        return requireRegistry();
    }

    private PrometheusMeterRegistry requireRegistry() {
        if (registry == null) {
            throw new IllegalStateException("monitoring is disabled");
        }
        return registry;
    }

    @Override
    public void close() {
        if (registry != null) {
            dashboard.close();
            gc.close();
            registry.close();
        }
    }
}
