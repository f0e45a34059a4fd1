package io.loom.bench.e2e;

import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.stage.Stage;

/**
 * The end of Loom's measured path: runs after {@code OrderBookStage} on its thread, and at the last
 * event of each diff message (the book has applied the whole message) records now - the frame's
 * send time, which {@link BinanceDepthStream} put in {@code E} and Loom carries as
 * {@link MarketEvent#exchangeTimeNs()} ({@code E} x 10^6).
 *
 * <p>Thread-safety: the stage thread only (the {@link LatencyRecorder}'s consumer thread).
 */
final class LoomLatencyStage implements Stage
{
    private static final long NS_PER_MS = 1_000_000L;

    private final LatencyRecorder recorder;

    LoomLatencyStage(final LatencyRecorder recorder)
    {
        this.recorder = recorder;
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.isLastOfMessage() && event.kind() == EventKind.BOOK_LEVEL && event.exchangeTimeNs() > 0)
        {
            recorder.onApplied(event.exchangeTimeNs() / NS_PER_MS, System.nanoTime());
        }
    }
}
