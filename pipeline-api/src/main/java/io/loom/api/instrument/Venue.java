package io.loom.api.instrument;

/**
 * The exchanges (and market segments) Loom knows, each with a stable small id carried in events.
 *
 * <p>Thread-safety: immutable.
 */
public enum Venue
{
    /** Binance spot. */
    BINANCE_SPOT(1, "binance-spot"),
    /** Binance USD-M futures. */
    BINANCE_USDM(2, "binance-usdm"),
    /** Binance COIN-M futures. */
    BINANCE_COINM(3, "binance-coinm"),
    /** Kraken spot. */
    KRAKEN(4, "kraken"),
    /** Kraken futures. */
    KRAKEN_FUTURES(5, "kraken-futures"),
    /** OKX (v5). */
    OKX(6, "okx"),
    /** Coinbase Exchange. */
    COINBASE(7, "coinbase"),
    /** Bybit (v5). */
    BYBIT(8, "bybit"),
    /** BitMEX. */
    BITMEX(9, "bitmex"),
    /** Bitstamp. */
    BITSTAMP(10, "bitstamp"),
    /** Deribit. */
    DERIBIT(11, "deribit"),
    /** A synthetic or test feed. */
    SYNTHETIC(63, "synthetic");

    private static final Venue[] BY_ID = new Venue[64];

    static
    {
        for (final Venue venue : values())
        {
            BY_ID[venue.id] = venue;
        }
    }

    private final int id;
    private final String code;

    Venue(final int id, final String code)
    {
        this.id = id;
        this.code = code;
    }

    /** @return the id carried in events, 1..63. */
    public int id()
    {
        return id;
    }

    /** @return the lower-case code used in configuration and the CLI ("binance-spot"). */
    public String code()
    {
        return code;
    }

    /**
     * @param id a venue id.
     * @return the venue.
     * @throws IllegalArgumentException if no venue has that id.
     */
    public static Venue byId(final int id)
    {
        final Venue venue = id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
        if (venue == null)
        {
            throw new IllegalArgumentException("no venue with id " + id);
        }
        return venue;
    }

    /**
     * @param code a venue code such as "kraken".
     * @return the venue.
     * @throws IllegalArgumentException naming the known codes if none matches.
     */
    public static Venue byCode(final String code)
    {
        for (final Venue venue : values())
        {
            if (venue.code.equals(code))
            {
                return venue;
            }
        }
        final StringBuilder known = new StringBuilder();
        for (final Venue venue : values())
        {
            known.append(known.isEmpty() ? "" : ", ").append(venue.code);
        }
        throw new IllegalArgumentException("unknown venue '" + code + "'; known: " + known);
    }
}
