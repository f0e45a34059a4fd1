package io.loom.bench.e2e;

import io.loom.api.pipeline.RingWaitStrategy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HarnessOptionsTest
{
    @Test
    void shouldMeasureTwoFixedRatesAndFlatOutByDefault()
    {
        final HarnessOptions options = HarnessOptions.parse();

        assertEquals(List.of(StreamVenue.BINANCE, StreamVenue.KRAKEN), options.venues());
        assertEquals(List.of(10_000.0, 100_000.0, 0.0), options.rates());
        assertEquals(HarnessOptions.ALL_SYSTEMS, options.systems());
        assertEquals(2, options.rounds());
    }

    @Test
    void shouldShortenEverythingWhenQuickAndStillTakeLaterOptions()
    {
        final HarnessOptions options = HarnessOptions.parse("--quick", "--rates", "10k,max", "--out", "/tmp/x", "--systems", "loom,diy");

        assertTrue(options.quick());
        assertEquals(1, options.rounds());
        assertEquals(2.5, options.durationS());
        assertEquals(List.of(10_000.0, 0.0), options.rates());
        assertEquals(Path.of("/tmp/x"), options.out());
        assertEquals(List.of("loom", "diy"), options.systems());
        assertEquals(false, options.plain());
        assertTrue(HarnessOptions.parse("--plain").plain());
    }

    @Test
    void shouldKeepAQuickRunToTwoRatesTwoSystemsAndOneWarmUpOfCompilerWait()
    {
        final HarnessOptions quick = HarnessOptions.parse("--quick");
        assertEquals(List.of(10_000.0, 0.0), quick.rates());
        assertEquals(List.of("loom", "diy"), quick.systems());
        assertEquals(1_500_000_000L, quick.jitWaitBoundNs());

        final HarnessOptions full = HarnessOptions.parse();
        assertEquals(List.of(10_000.0, 100_000.0, 0.0), full.rates());
        assertEquals(HarnessOptions.ALL_SYSTEMS, full.systems());
        assertEquals(50_000_000_000L, full.jitWaitBoundNs());
    }

    @Test
    void shouldRunTheVenuesAsked()
    {
        assertEquals(List.of(StreamVenue.KRAKEN), HarnessOptions.parse("--venue", "kraken").venues());
        assertEquals(List.of(StreamVenue.BINANCE), HarnessOptions.parse("--venue", "binance").venues());
        assertEquals(List.of(StreamVenue.BINANCE, StreamVenue.KRAKEN), HarnessOptions.parse("--venue", "both").venues());
        assertEquals("--venue: okx is not binance, kraken or both",
            assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--venue", "okx")).getMessage());
    }

    @Test
    void shouldLetTheSpinningPlacementsStageWaitAsAsked()
    {
        assertEquals(RingWaitStrategy.YIELDING, HarnessOptions.parse().spinStageWait());
        assertEquals(RingWaitStrategy.BLOCKING, HarnessOptions.parse("--spin-stage-wait", "blocking").spinStageWait());
        assertEquals(RingWaitStrategy.BUSY_SPIN, HarnessOptions.parse("--spin-stage-wait", "busy-spin").spinStageWait());
        assertEquals("--spin-stage-wait: parking is not one of [BUSY_SPIN, YIELDING, SLEEPING, BLOCKING, BACK_OFF]",
            assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--spin-stage-wait", "parking")).getMessage());
    }

    @Test
    void shouldTimeHopsAndSeparateTheSenderOnlyWhenAsked()
    {
        final HarnessOptions defaults = HarnessOptions.parse();
        assertEquals(false, defaults.hops());
        assertEquals(false, defaults.senderOwnSession());
        final HarnessOptions asked = HarnessOptions.parse("--hops", "--sender-own-session");
        assertTrue(asked.hops());
        assertTrue(asked.senderOwnSession());
    }

    @Test
    void shouldTakeLoomPlacementsAsSystems()
    {
        assertEquals(List.of("loom", "loom/back-off/reactor", "loom/busy-spin/yielding/pinned", "loom-journal/busy-spin/reactor/isolated"),
            HarnessOptions.parse("--systems", "loom,loom/back-off/reactor,loom/busy-spin/yielding/pinned,loom-journal/busy-spin/reactor/isolated").systems());
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--systems", "loom-journal/busy-spin/napping"));
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--systems", "loom/back-off/napping"));
    }

    @Test
    void shouldNameTheBadOption()
    {
        assertEquals("unknown option --fast (options: --quick --venue --rates --duration --warmup --rounds --systems --out --capture --plain --spin-stage-wait --hops --sender-own-session)",
            assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--fast")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--systems", "loom,nats"));
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--duration", "0"));
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--rates"));
    }
}
