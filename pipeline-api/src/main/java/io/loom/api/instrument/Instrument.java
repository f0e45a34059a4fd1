package io.loom.api.instrument;

/**
 * An instrument of a venue, interned into {@link #id()}. A price mantissa {@code p} means
 * {@code p x 10^priceExponent}; a size mantissa {@code q} means {@code q x 10^sizeExponent}
 * (exponents are zero or negative: -2 means hundredths).
 *
 * @param id            the interned id carried in events, from 1.
 * @param venue         the venue.
 * @param symbol        the venue's own symbol ("BTCUSDT", "XBT/USD").
 * @param priceExponent decimal exponent of prices.
 * @param sizeExponent  decimal exponent of sizes.
 */
public record Instrument(int id, Venue venue, String symbol, int priceExponent, int sizeExponent)
{
    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if a field is out of range.
     */
    public Instrument
    {
        if (id <= 0 || venue == null || symbol == null || symbol.isBlank())
        {
            throw new IllegalArgumentException("instrument needs an id > 0, a venue and a symbol");
        }
        if (priceExponent > 0 || priceExponent < -18 || sizeExponent > 0 || sizeExponent < -18)
        {
            throw new IllegalArgumentException("exponents must be in -18..0: " + priceExponent + ", " + sizeExponent);
        }
    }

    @Override
    public String toString()
    {
        return venue.code() + ':' + symbol;
    }
}
