package io.loom.connectors.session;

import io.loom.api.book.OrderBookView;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.connectors.feed.VenueFeed;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake feed that records what the session told it, for tests of the session alone; frames are
 * only counted ({@link FeedCounter#FRAMES}) when {@link #countingFrames} made it, for floods, and
 * read over that many times: a consumer slower than a flooding venue.
 */
final class RecordingFeed implements VenueFeed
{
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final FeedCounters counters = new FeedCounters();
    private final int passesPerFrame;
    private long byteSum;

    RecordingFeed()
    {
        this(0);
    }

    private RecordingFeed(final int passesPerFrame)
    {
        this.passesPerFrame = passesPerFrame;
    }

    /**
     * @param passesPerFrame how many times to read each frame's bytes (the work per frame), at least 1.
     * @return a feed that records every call but frames, which it counts only.
     */
    static RecordingFeed countingFrames(final int passesPerFrame)
    {
        return new RecordingFeed(Math.max(1, passesPerFrame));
    }

    /** @return the sum of every byte read over (keeps the work of {@link #countingFrames} observable). */
    long byteSum()
    {
        return byteSum;
    }

    @Override
    public void onConnected(final long receiveTimeNs)
    {
        calls.add("connected");
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs)
    {
        counters.increment(FeedCounter.FRAMES);
        if (passesPerFrame == 0)
        {
            calls.add("frame " + buffer.getStringWithoutLengthUtf8(offset, length));
            return;
        }
        for (int pass = 0; pass < passesPerFrame; pass++)
        {
            for (int i = offset; i < offset + length; i++)
            {
                byteSum += buffer.getByte(i);
            }
        }
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
