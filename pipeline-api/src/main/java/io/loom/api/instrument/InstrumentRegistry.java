package io.loom.api.instrument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns instruments into int ids, once, when sources and stages are set up; afterwards the hot
 * path only looks instruments up by id (an array index).
 *
 * <p>A pipeline has one registry; each of its sources gets a {@link #forSource(int) view} of it
 * (the same instruments and ids) that also records which instruments the source feeds: every
 * instrument the view {@link #intern interns} or {@link #find finds}. That record routes a
 * stage's resync request for an instrument to the sources that feed it, with nothing noted per
 * published event.
 *
 * <p>Thread-safety: interning and look-ups are synchronised on the shared table; intern at set-up,
 * not per event. The array behind {@link #byId(int)} is replaced on growth and read through a
 * volatile reference.
 */
public final class InstrumentRegistry
{
    private final Table table;
    private final int sourceId;

    /** A new, empty registry; it records no source (see {@link #forSource(int)}). */
    public InstrumentRegistry()
    {
        this(new Table(), 0);
    }

    private InstrumentRegistry(final Table table, final int sourceId)
    {
        this.table = table;
        this.sourceId = sourceId;
    }

    /**
     * A view of this registry for one source: the same instruments and ids; every instrument it
     * interns or finds is recorded as fed by {@code sourceId} (see {@link #isFedBy}).
     *
     * @param sourceId the source's id in its pipeline, from 1.
     * @return the view.
     * @throws IllegalArgumentException if {@code sourceId < 1}.
     */
    public InstrumentRegistry forSource(final int sourceId)
    {
        if (sourceId < 1)
        {
            throw new IllegalArgumentException("source ids count from 1: " + sourceId);
        }
        return new InstrumentRegistry(table, sourceId);
    }

    /**
     * Interns an instrument, or returns the one already interned for the venue and symbol. Through
     * a source's view, the source is recorded as feeding it.
     *
     * @param venue         the venue.
     * @param symbol        the venue's symbol.
     * @param priceExponent decimal exponent of prices.
     * @param sizeExponent  decimal exponent of sizes.
     * @return the instrument and its id.
     * @throws IllegalArgumentException if the instrument was interned before with other exponents.
     */
    public Instrument intern(final Venue venue, final String symbol, final int priceExponent, final int sizeExponent)
    {
        final String key = venue.code() + ':' + symbol;
        synchronized (table)
        {
            final Instrument existing = table.byKey.get(key);
            if (existing != null)
            {
                if (existing.priceExponent() != priceExponent || existing.sizeExponent() != sizeExponent)
                {
                    throw new IllegalArgumentException(key + " is interned with exponents " + existing.priceExponent() + '/' +
                        existing.sizeExponent() + ", not " + priceExponent + '/' + sizeExponent);
                }
                return fed(existing);
            }
            final Instrument instrument = new Instrument(table.all.size() + 1, venue, symbol, priceExponent, sizeExponent);
            table.byKey.put(key, instrument);
            table.all.add(instrument);
            Instrument[] byId = table.byId;
            if (instrument.id() >= byId.length)
            {
                byId = Arrays.copyOf(byId, byId.length * 2);
            }
            byId[instrument.id()] = instrument;
            table.byId = byId;
            return fed(instrument);
        }
    }

    /**
     * @param id an interned id.
     * @return the instrument, or null if none has that id.
     */
    public Instrument byId(final int id)
    {
        final Instrument[] byId = table.byId;
        return id > 0 && id < byId.length ? byId[id] : null;
    }

    /**
     * Looks an interned instrument up; through a source's view, a found instrument is recorded as
     * fed by the source.
     *
     * @param venue  the venue.
     * @param symbol the venue's symbol.
     * @return the interned instrument, or null.
     */
    public Instrument find(final Venue venue, final String symbol)
    {
        final String key = venue.code() + ':' + symbol;
        synchronized (table)
        {
            final Instrument found = table.byKey.get(key);
            return found == null ? null : fed(found);
        }
    }

    /**
     * @param instrumentId an interned id.
     * @param sourceId     a source's id, from 1.
     * @return true if that source's view interned or found the instrument.
     */
    public boolean isFedBy(final int instrumentId, final int sourceId)
    {
        synchronized (table)
        {
            final int[][] feeders = table.feeders;
            final int[] sources = instrumentId > 0 && instrumentId < feeders.length ? feeders[instrumentId] : null;
            if (sources != null)
            {
                for (final int source : sources)
                {
                    if (source == sourceId)
                    {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** @return every interned instrument, in id order. */
    public List<Instrument> all()
    {
        synchronized (table)
        {
            return List.copyOf(table.all);
        }
    }

    /** @return how many instruments are interned. */
    public int size()
    {
        synchronized (table)
        {
            return table.all.size();
        }
    }

    /** Records this view's source as feeding {@code instrument}; the caller holds the table's monitor. */
    private Instrument fed(final Instrument instrument)
    {
        if (sourceId > 0 && !isFedBy(instrument.id(), sourceId))
        {
            final int id = instrument.id();
            if (id >= table.feeders.length)
            {
                table.feeders = Arrays.copyOf(table.feeders, Math.max(table.feeders.length * 2, id + 1));
            }
            final int[] sources = table.feeders[id];
            final int[] grown = sources == null ? new int[1] : Arrays.copyOf(sources, sources.length + 1);
            grown[grown.length - 1] = sourceId;
            table.feeders[id] = grown;
        }
        return instrument;
    }

    /** What the registry and its source views share; guarded by its own monitor, except {@code byId} (volatile). */
    private static final class Table
    {
        private final Map<String, Instrument> byKey = new HashMap<>();
        private final List<Instrument> all = new ArrayList<>();
        private volatile Instrument[] byId = new Instrument[16];
        /** Per instrument id, the ids of the sources that feed it (null: none). */
        private int[][] feeders = new int[16][];
    }
}
