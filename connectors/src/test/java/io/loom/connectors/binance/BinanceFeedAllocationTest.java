package io.loom.connectors.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.connectors.feed.FeedCounter;
import io.loom.runtime.capture.Capture;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Steady state of the feed thread allocates nothing: decode, sync, publish and the order-book stage
 * behind the inline publisher (levels, and the bookTickers' top-of-book checks, 1,056 of them a pass), over the whole ETHUSDT recording (79,743 frames and
 * its snapshot), replayed again after two warm-up passes (JIT, level arrays and books at full size).
 */
class BinanceFeedAllocationTest
{
    @Test
    void shouldAllocateNothingPerFrameInSteadyState() throws InterruptedException
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Capture capture = BinanceCaptures.load(BinanceCaptures.SPOT_ETHUSDT);
        final BinanceFeedHarness harness = new BinanceFeedHarness(BinanceMarket.SPOT);
        harness.referenceOn = false;
        for (int pass = 0; pass < 2; pass++)
        {
            harness.replay(capture);
            harness.feed.onDisconnected(0);
        }
        final long framesBefore = harness.count(FeedCounter.FRAMES);
        final long okBefore = harness.tickersAgreed();

        final long before = threads.getCurrentThreadAllocatedBytes();
        harness.replay(capture);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        final long frames = harness.count(FeedCounter.FRAMES) - framesBefore;
        assertEquals(79_743, frames);
        assertEquals(1_056, harness.tickersAgreed() - okBefore, "the measured pass did the full work");
        assertEquals(0, harness.count(FeedCounter.ERRORS), harness.feed.counters().lastError());
        // One object per frame would be at least 16 B/frame; the bound (0.01 B/frame, under 800 B for
        // the whole pass) leaves room only for a one-off such as a late JIT deoptimisation.
        assertTrue(allocated < frames / 100, allocated + " bytes allocated on the feed thread over " + frames + " frames");
    }
}
