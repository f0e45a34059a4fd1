package io.loom.api.instrument;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Source views share the pipeline's instruments and record which source feeds which instrument. */
class InstrumentRegistryTest
{
    @Test
    void shouldShareIdsBetweenTheRegistryAndItsSourceViews()
    {
        final InstrumentRegistry pipeline = new InstrumentRegistry();
        final InstrumentRegistry spot = pipeline.forSource(1);
        final InstrumentRegistry futures = pipeline.forSource(2);

        final Instrument btc = spot.intern(Venue.BINANCE_SPOT, "BTCUSDT", -2, -5);
        final Instrument perp = futures.intern(Venue.BINANCE_USDM, "BTCUSDT", -1, -3);

        assertEquals(1, btc.id());
        assertEquals(2, perp.id());
        assertSame(btc, pipeline.byId(1));
        assertSame(perp, spot.byId(2));
        assertSame(btc, futures.find(Venue.BINANCE_SPOT, "BTCUSDT"));
        assertEquals(List.of(btc, perp), pipeline.all());
        assertEquals(2, futures.size());
    }

    @Test
    void shouldRecordTheSourcesThatInternOrFindAnInstrument()
    {
        final InstrumentRegistry pipeline = new InstrumentRegistry();
        final Instrument preInterned = pipeline.intern(Venue.KRAKEN, "XBT/USD", -1, -8);
        final Instrument spotOnly = pipeline.forSource(1).intern(Venue.BINANCE_SPOT, "ETHUSDT", -2, -4);
        final Instrument shared = pipeline.forSource(1).intern(Venue.BINANCE_SPOT, "BTCUSDT", -2, -5);
        pipeline.forSource(3).intern(Venue.BINANCE_SPOT, "BTCUSDT", -2, -5);
        assertSame(preInterned, pipeline.forSource(2).find(Venue.KRAKEN, "XBT/USD"));

        assertFalse(pipeline.isFedBy(preInterned.id(), 1), "the pipeline's own interning records no source");
        assertTrue(pipeline.isFedBy(preInterned.id(), 2), "found through source 2's view");
        assertTrue(pipeline.isFedBy(spotOnly.id(), 1));
        assertFalse(pipeline.isFedBy(spotOnly.id(), 3));
        assertTrue(pipeline.isFedBy(shared.id(), 1));
        assertTrue(pipeline.isFedBy(shared.id(), 3));
        assertFalse(pipeline.isFedBy(shared.id(), 2));
        assertFalse(pipeline.isFedBy(999, 1), "an id never interned");
        assertNull(pipeline.forSource(2).find(Venue.KRAKEN, "ETH/USD"));
    }

    @Test
    void shouldRejectSourceIdsBelowOne()
    {
        assertThrows(IllegalArgumentException.class, () -> new InstrumentRegistry().forSource(0));
    }

    @Test
    void shouldStillRejectReinterningWithOtherExponentsThroughAView()
    {
        final InstrumentRegistry pipeline = new InstrumentRegistry();
        pipeline.intern(Venue.BINANCE_SPOT, "BTCUSDT", -2, -5);
        assertThrows(IllegalArgumentException.class, () -> pipeline.forSource(1).intern(Venue.BINANCE_SPOT, "BTCUSDT", -2, -4));
        assertFalse(pipeline.isFedBy(1, 1), "a refused intern records nothing");
    }
}
