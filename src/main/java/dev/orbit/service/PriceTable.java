package dev.orbit.service;

import dev.orbit.config.AuditConfig;
import java.time.LocalDate;
import java.util.Map;

/**
 * The cost of a call from the configured price table ({@code usage.pricing}: dollars per million input and
 * output tokens per model). A model without a price costs 0 and is flagged as unpriced, so reports can say
 * how much of the total is unknown instead of hiding it. {@code updated} ({@code usage.pricing_updated}) is when
 * the operator last checked the prices, null when not said.
 */
public record PriceTable(Map<String, AuditConfig.ModelPrice> prices, LocalDate updated) {
    public PriceTable {
        prices = Map.copyOf(prices);
    }

    /** Prices without the date they were last checked. */
    public PriceTable(Map<String, AuditConfig.ModelPrice> prices) {
        this(prices, null);
    }

    /** What a call cost and at which rates; rates are null when unpriced. */
    public record Cost(double usd, Double inputPer1m, Double outputPer1m, boolean priced) {
    }

    public Cost cost(String model, long promptTokens, long completionTokens) {
        AuditConfig.ModelPrice price = model == null ? null : prices.get(model);
        if (price == null) {
            return new Cost(0.0, null, null, false);
        }
        double usd = (promptTokens * price.inputPer1m() + completionTokens * price.outputPer1m()) / 1_000_000.0;
        return new Cost(usd, price.inputPer1m(), price.outputPer1m(), true);
    }
}
