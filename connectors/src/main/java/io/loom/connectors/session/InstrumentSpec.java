package io.loom.connectors.session;

import java.util.Objects;

/**
 * An instrument a session subscribes to, as the venue names it, with the decimal exponents its
 * prices and sizes are held at (a Kraken pair's {@code pair_decimals} and {@code lot_decimals}, a
 * Binance symbol's tick and step sizes): {@code -2} means hundredths.
 *
 * <p>Thread-safety: immutable.
 *
 * @param symbol        the venue's symbol ("XBT/USD", "ETHUSDT").
 * @param priceExponent decimal exponent of prices, -18 to 0.
 * @param sizeExponent  decimal exponent of sizes, -18 to 0.
 */
public record InstrumentSpec(String symbol, int priceExponent, int sizeExponent)
{
    /** Validates. */
    public InstrumentSpec
    {
        Objects.requireNonNull(symbol, "symbol");
        if (symbol.isBlank() || priceExponent < -18 || priceExponent > 0 || sizeExponent < -18 || sizeExponent > 0)
        {
            throw new IllegalArgumentException("InstrumentSpec: need a symbol and exponents in -18..0, not '" + symbol + "' " +
                priceExponent + "/" + sizeExponent);
        }
    }
}
