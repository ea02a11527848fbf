package dev.orbit.service;

import dev.orbit.config.LimitsConfig;
import java.util.Map;
import java.util.TreeMap;

/**
 * The progressive delay of a key nearing its quota (the reference's rule): none below {@code threshold_percent} of
 * the fuller quota; from there {@code min_ms} rising to {@code max_ms} at the limit, linearly or along the square of
 * the way there ({@code exponential}); times the key's priority multiplier (1 premium .. 10 low, interpolated
 * between the configured priorities), capped at twice {@code max_ms}.
 */
final class ThrottleDelay {
    private final LimitsConfig.Throttling settings;
    private final TreeMap<Integer, Double> multipliers;

    ThrottleDelay(LimitsConfig.Throttling settings) {
        this.settings = settings;
        this.multipliers = new TreeMap<>(settings.priorityMultipliers());
    }

    /** The delay for a key whose fuller quota is {@code used} of {@code limit}, at {@code priority}. */
    long millis(double usedFraction, long priority) {
        double threshold = settings.thresholdPercent() / 100.0;
        if (usedFraction < threshold) {
            return 0;
        }
        double normalized = usedFraction >= 1.0 || threshold >= 1.0 ? 1.0
                : (usedFraction - threshold) / (1.0 - threshold);
        double factor = settings.curve() == LimitsConfig.Curve.EXPONENTIAL ? normalized * normalized : normalized;
        double base = settings.minDelayMs() + (settings.maxDelayMs() - settings.minDelayMs()) * factor;
        return Math.min((long) (base * multiplier((int) priority)), 2L * settings.maxDelayMs());
    }

    double multiplier(int priority) {
        Map.Entry<Integer, Double> low = multipliers.floorEntry(priority);
        Map.Entry<Integer, Double> high = multipliers.ceilingEntry(priority);
        if (low == null) {
            return high.getValue();
        }
        if (high == null || high.getKey().equals(low.getKey())) {
            return low.getValue();
        }
        double ratio = (priority - low.getKey()) / (double) (high.getKey() - low.getKey());
        return low.getValue() + (high.getValue() - low.getValue()) * ratio;
    }
}
