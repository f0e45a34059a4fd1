package io.loom.connectors.session;

import io.loom.api.book.OrderBookView;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.connectors.feed.VenueFeed;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake feed that records what the session told it, for tests of the session alone. */
final class RecordingFeed implements VenueFeed
{
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final FeedCounters counters = new FeedCounters();

    @Override
    public void onConnected(final long receiveTimeNs)
    {
        calls.add("connected");
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs)
    {
        counters.increment(FeedCounter.FRAMES);
        calls.add("frame " + buffer.getStringWithoutLengthUtf8(offset, length));
    }

    @Override
    public void onRestResponse(
        final DirectBuffer buffer, final int urlOffset, final int urlLength, final int bodyOffset, final int bodyLength, final long receiveTimeNs)
    {
        calls.add("rest " + buffer.getStringWithoutLengthAscii(urlOffset, urlLength));
    }

    @Override
    public void onDisconnected(final long receiveTimeNs)
    {
        calls.add("disconnected");
    }

    @Override
    public void resync(final int instrumentId, final long receiveTimeNs)
    {
        calls.add("resync " + instrumentId);
    }

    @Override
    public FeedCounters counters()
    {
        return counters;
    }

    @Override
    public OrderBookView book(final int instrumentId)
    {
        return null; // keeps no books
    }
}
