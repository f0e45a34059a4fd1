package io.loom.bench.e2e;

import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.stage.Stage;

import java.util.function.LongUnaryOperator;

/**
 * The end of Loom's measured path: runs after {@code OrderBookStage} on its thread, and at the last
 * event of each diff message (the book has applied the whole message) records now - the frame's
 * send time, which the server put in the message and Loom carries as
 * {@link MarketEvent#exchangeTimeNs()}: Binance's {@code E} x 10^6 ({@link BinanceDepthStream}), or
 * Kraken's level time in ns ({@link KrakenLevelTime}); the venue's function turns it back into the stamp.
 * With {@code --hops} it also tells the {@link HopRecorder} the end of every message, so the
 * recorder can match it to the times the reactor noted for it.
 *
 * <p>Thread-safety: the stage thread only (the {@link LatencyRecorder}'s consumer thread).
 */
final class LoomLatencyStage implements Stage
{
    private final LatencyRecorder recorder;
    private final LongUnaryOperator stampOfExchangeTimeNs;
    private final HopRecorder hops;

    /**
     * @param recorder              where samples go.
     * @param stampOfExchangeTimeNs the venue's exchange time -> send stamp (non-capturing, allocates nothing).
     * @param hops                  where every message's end goes for the hop breakdown, or null when off.
     */
    LoomLatencyStage(final LatencyRecorder recorder, final LongUnaryOperator stampOfExchangeTimeNs, final HopRecorder hops)
    {
        this.recorder = recorder;
        this.stampOfExchangeTimeNs = stampOfExchangeTimeNs;
        this.hops = hops;
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
        if (!event.isLastOfMessage())
        {
            return;
        }
        final boolean stamped = event.kind() == EventKind.BOOK_LEVEL && event.exchangeTimeNs() > 0;
        if (hops == null)
        {
            if (stamped)
            {
                recorder.onApplied(stampOfExchangeTimeNs.applyAsLong(event.exchangeTimeNs()), System.nanoTime());
            }
            return;
        }
        final long nowNs = System.nanoTime();
        final long stamp = stamped ? stampOfExchangeTimeNs.applyAsLong(event.exchangeTimeNs()) : 0;
        if (stamped)
        {
            recorder.onApplied(stamp, nowNs);
        }
        hops.onMessageApplied(event.exchangeTimeNs(), stamped ? recorder.sendTimeNs(stamp) : 0, nowNs);
    }
}
