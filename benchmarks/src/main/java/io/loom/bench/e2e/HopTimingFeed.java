package io.loom.bench.e2e;

import io.loom.api.book.OrderBookView;
import io.loom.connectors.feed.FeedCounters;
import io.loom.connectors.feed.VenueFeed;
import io.loom.runtime.fiber.FiberScheduler;
import org.agrona.DirectBuffer;

/**
 * A {@link VenueFeed} that tells a {@link HopRecorder} when each frame reached it, with the time the
 * reactor's last socket read returned (the read that completed the frame), when its system call began and,
 * if it waited, when the selector found the socket readable, then hands the frame to
 * the venue's feed. Everything else is the venue's feed's. Allocates nothing.
 *
 * <p>Thread-safety: as the wrapped feed (the session's fibers on the reactor).
 */
final class HopTimingFeed implements VenueFeed
{
    private final VenueFeed feed;
    private final HopRecorder hops;
    private final FiberScheduler reactor;

    /**
     * @param feed    the venue's feed.
     * @param hops    where the frame times go.
     * @param reactor the reactor, with socket-read stamps on.
     */
    HopTimingFeed(final VenueFeed feed, final HopRecorder hops, final FiberScheduler reactor)
    {
        this.feed = feed;
        this.hops = hops;
        this.reactor = reactor;
    }

    @Override
    public void onConnected(final long receiveTimeNs) throws InterruptedException
    {
        feed.onConnected(receiveTimeNs);
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs) throws InterruptedException
    {
        hops.onFrame(reactor.socketReads().readyNs(), reactor.socketReads().callNs(), reactor.socketReads().readNs(), System.nanoTime());
        feed.onFrame(buffer, offset, length, receiveTimeNs);
    }

    @Override
    public void onRestResponse(final DirectBuffer buffer, final int urlOffset, final int urlLength, final int bodyOffset, final int bodyLength,
        final long receiveTimeNs) throws InterruptedException
    {
        feed.onRestResponse(buffer, urlOffset, urlLength, bodyOffset, bodyLength, receiveTimeNs);
    }

    @Override
    public void onDisconnected(final long receiveTimeNs) throws InterruptedException
    {
        feed.onDisconnected(receiveTimeNs);
    }

    @Override
    public void onDisconnected(final long receiveTimeNs, final String reason) throws InterruptedException
    {
        feed.onDisconnected(receiveTimeNs, reason);
    }

    @Override
    public void resync(final int instrumentId, final long receiveTimeNs) throws InterruptedException
    {
        feed.resync(instrumentId, receiveTimeNs);
    }

    @Override
    public FeedCounters counters()
    {
        return feed.counters();
    }

    @Override
    public OrderBookView book(final int instrumentId)
    {
        return feed.book(instrumentId);
    }
}
