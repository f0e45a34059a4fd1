package io.loom.connectors.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loom.connectors.feed.FeedCounter;
import io.loom.runtime.capture.Capture;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Steady state of the feed thread allocates nothing: decode, sync, cross-check, publish and the
 * order-book stage behind the inline publisher, over the whole ETHUSDT recording (79,743 frames and
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
        for (int pass = 0; pass < 2; pass++)
        {
            harness.replay(capture);
            harness.feed.onDisconnected(0);
        }
        final long framesBefore = harness.count(FeedCounter.FRAMES);
        final long okBefore = harness.count(FeedCounter.BOOK_TICKER_OK);

        final long before = threads.getCurrentThreadAllocatedBytes();
        harness.replay(capture);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        final long frames = harness.count(FeedCounter.FRAMES) - framesBefore;
        assertEquals(79_743, frames);
        assertEquals(1_056, harness.count(FeedCounter.BOOK_TICKER_OK) - okBefore, "the measured pass did the full work");
        assertEquals(0, harness.count(FeedCounter.ERRORS), harness.feed.counters().lastError());
        assertEquals(0, allocated, "bytes allocated on the feed thread over " + frames + " frames");
    }
}
