package io.loom.examples.backtest;

import io.loom.api.instrument.Venue;
import io.loom.examples.BundledCaptures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backtest example on the first minute of the bundled Binance spot ETHUSDT session. */
class BacktestExampleTest
{
    private static final long MINUTE_NS = TimeUnit.SECONDS.toNanos(60);

    @Test
    void shouldDecideOncePerSecondOfRecordedTimeNotOfWallTime() throws Exception
    {
        final Path capture = BundledCaptures.find(BundledCaptures.BINANCE_SPOT_ETHUSDT);
        final BacktestExample.Result result = BacktestExample.run(capture, MINUTE_NS, Venue.BINANCE_SPOT, "ETHUSDT");
        final ImbalanceStrategyStage strategy = result.strategy();

        final long recordedNs = result.lastRecvNs() - result.firstRecvNs();
        assertTrue(recordedNs > MINUTE_NS - TimeUnit.SECONDS.toNanos(1) && recordedNs <= MINUTE_NS, "a minute replayed: " + recordedNs);
        final long expected = recordedNs / BacktestExample.INTERVAL_NS;
        assertEquals(expected, result.clock().ticks(), "one tick per second of recorded time");
        assertEquals(expected, strategy.decisions(), "the strategy saw every tick");
        assertEquals(result.firstRecvNs() + BacktestExample.INTERVAL_NS, strategy.firstDecisionNs(), "the first tick is 1 s into the recording");
        assertEquals(result.firstRecvNs() + expected * BacktestExample.INTERVAL_NS, strategy.lastDecisionNs(), "ticks at whole recorded seconds");
        assertTrue(result.wallNs() < expected * BacktestExample.INTERVAL_NS,
            "the replay took " + result.wallNs() / 1_000_000 + " ms of wall time, in which a wall-clock timer would have fired fewer than " +
                expected + " times");

        assertTrue(strategy.fills() > 0 && strategy.fills() <= strategy.decisions(), "at most one fill per decision: " + strategy.fills());
        assertTrue(Math.abs(strategy.position()) <= BacktestExample.MAX_LOTS, "position within the limit: " + strategy.position());

        final BacktestExample.Result again = BacktestExample.run(capture, MINUTE_NS, Venue.BINANCE_SPOT, "ETHUSDT");
        assertEquals(strategy.decisions(), again.strategy().decisions());
        assertEquals(strategy.fills(), again.strategy().fills(), "decisions at recorded instants see the same books on every run");
        assertEquals(strategy.position(), again.strategy().position());
        assertEquals(strategy.cash(), again.strategy().cash());
    }
}
