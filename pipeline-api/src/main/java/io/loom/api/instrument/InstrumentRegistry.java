package io.loom.api.instrument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns instruments into int ids, once, when sources and stages are set up; afterwards the hot
 * path only looks instruments up by id (an array index).
 *
 * <p>Thread-safety: interning and look-ups are synchronised; intern at set-up, not per event. The
 * array behind {@link #byId(int)} is replaced on growth and read through a volatile reference.
 */
public final class InstrumentRegistry
{
    private final Map<String, Instrument> byKey = new HashMap<>();
    private final List<Instrument> all = new ArrayList<>();
    private volatile Instrument[] byId = new Instrument[16];

    /**
     * Interns an instrument, or returns the one already interned for the venue and symbol.
     *
     * @param venue         the venue.
     * @param symbol        the venue's symbol.
     * @param priceExponent decimal exponent of prices.
     * @param sizeExponent  decimal exponent of sizes.
     * @return the instrument and its id.
     * @throws IllegalArgumentException if the instrument was interned before with other exponents.
     */
    public synchronized Instrument intern(final Venue venue, final String symbol, final int priceExponent, final int sizeExponent)
    {
        final String key = venue.code() + ':' + symbol;
        final Instrument existing = byKey.get(key);
        if (existing != null)
        {
            if (existing.priceExponent() != priceExponent || existing.sizeExponent() != sizeExponent)
            {
                throw new IllegalArgumentException(key + " is interned with exponents " + existing.priceExponent() + '/' +
                    existing.sizeExponent() + ", not " + priceExponent + '/' + sizeExponent);
            }
            return existing;
        }
        final Instrument instrument = new Instrument(all.size() + 1, venue, symbol, priceExponent, sizeExponent);
        byKey.put(key, instrument);
        all.add(instrument);
        Instrument[] table = byId;
        if (instrument.id() >= table.length)
        {
            table = java.util.Arrays.copyOf(table, table.length * 2);
        }
        table[instrument.id()] = instrument;
        byId = table;
        return instrument;
    }

    /**
     * @param id an interned id.
     * @return the instrument, or null if none has that id.
     */
    public Instrument byId(final int id)
    {
        final Instrument[] table = byId;
        return id > 0 && id < table.length ? table[id] : null;
    }

    /**
     * @param venue  the venue.
     * @param symbol the venue's symbol.
     * @return the interned instrument, or null.
     */
    public synchronized Instrument find(final Venue venue, final String symbol)
    {
        return byKey.get(venue.code() + ':' + symbol);
    }

    /** @return every interned instrument, in id order. */
    public synchronized List<Instrument> all()
    {
        return List.copyOf(all);
    }

    /** @return how many instruments are interned. */
    public synchronized int size()
    {
        return all.size();
    }
}
