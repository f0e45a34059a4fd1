package io.loom.connectors.record;

import io.loom.api.book.OrderBookView;
import io.loom.connectors.feed.FeedCounters;
import io.loom.connectors.feed.VenueFeed;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.journal.JournalWriter;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * A {@link VenueFeed} that journals what its session tells it: CONNECT with the WebSocket URL
 * followed by the subscriptions sent after it (SEND), every inbound frame (WS), every REST snapshot
 * body with its URL (REST), and DISCONNECT. The journal sees exactly the bytes and receive times the
 * feed sees, which is what makes a replay of the journal reproduce the live run. DISCONNECT carries
 * what the session says ended the connection (peer close code and reason, read timeout, error
 * type), which {@code loom inspect} lists.
 *
 * <p>A frame or REST body goes to the real feed first and is journaled when the feed returns (or
 * throws: it is journaled either way), so the copy into the journal's ring is not on the way from
 * the socket to the ring and the books: what the journal adds to a frame's latency is only its
 * effect on the next frame (benchmarks/README.md, "lead22"). The records keep their order: the
 * feed sees a read-only buffer that nothing refills before it returns, and the session sends
 * resubscriptions (SEND) between messages, never inside {@code onFrame}. Lifecycle records are
 * journaled before the feed hears of them.
 *
 * <p>Appends never block (see {@link JournalWriter}); a refused record is counted by the writer,
 * whose failure policy decides what the pipeline does. A reconnect keeps the connection number:
 * the session keeps one feed across reconnects, and replay does too.
 *
 * <p>Thread-safety: as the feed it wraps — one thread, the session's connection fiber. Frames and
 * REST bodies are journaled without allocating; CONNECT and SEND records allocate (rare by nature).
 */
public final class JournalTapFeed implements VenueFeed
{
    /** The DISCONNECT payload when the reason is not known (FORMAT.md). */
    static final String UNKNOWN_REASON = "-";

    private final JournalWriter journal;
    private final int conn;
    private final int venueCode;
    private final String webSocketUrl;
    private final List<String> subscribeMessages;
    private final VenueFeed feed;
    private long lastRecvNs;

    /**
     * @param journal           where records go.
     * @param conn              the connection number the records carry.
     * @param venueCode         the venue's {@link io.loom.runtime.journal.JournalVenues} code.
     * @param webSocketUrl      the URL the session connects to (the CONNECT payload).
     * @param subscribeMessages what the session sends after each connect (journaled as SEND).
     * @param feed              the feed that decodes.
     */
    public JournalTapFeed(
        final JournalWriter journal,
        final int conn,
        final int venueCode,
        final String webSocketUrl,
        final List<String> subscribeMessages,
        final VenueFeed feed)
    {
        this.journal = journal;
        this.conn = conn;
        this.venueCode = venueCode;
        this.webSocketUrl = webSocketUrl;
        this.subscribeMessages = List.copyOf(subscribeMessages);
        this.feed = feed;
    }

    @Override
    public void onConnected(final long receiveTimeNs) throws InterruptedException
    {
        lastRecvNs = receiveTimeNs;
        journal.append(receiveTimeNs, conn, venueCode, CaptureRecordKind.CONNECT, webSocketUrl);
        for (final String message : subscribeMessages)
        {
            journal.append(receiveTimeNs, conn, venueCode, CaptureRecordKind.SEND, message);
        }
        feed.onConnected(receiveTimeNs);
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs) throws InterruptedException
    {
        lastRecvNs = receiveTimeNs;
        try
        {
            feed.onFrame(buffer, offset, length, receiveTimeNs);
        }
        finally
        {
            journal.append(receiveTimeNs, conn, venueCode, CaptureRecordKind.WS, buffer, offset, length);
        }
    }

    @Override
    public void onRestResponse(
        final DirectBuffer buffer, final int urlOffset, final int urlLength, final int bodyOffset, final int bodyLength, final long receiveTimeNs)
        throws InterruptedException
    {
        lastRecvNs = receiveTimeNs;
        try
        {
            feed.onRestResponse(buffer, urlOffset, urlLength, bodyOffset, bodyLength, receiveTimeNs);
        }
        finally
        {
            journal.appendRest(receiveTimeNs, conn, venueCode, buffer, urlOffset, urlLength, buffer, bodyOffset, bodyLength);
        }
    }

    /** Journals a DISCONNECT whose reason is unknown ({@code -}), then tells the feed. */
    @Override
    public void onDisconnected(final long receiveTimeNs) throws InterruptedException
    {
        onDisconnected(receiveTimeNs, UNKNOWN_REASON);
    }

    /** Journals a DISCONNECT with the reason (tabs and line breaks made spaces: a record is one line), then tells the feed. */
    @Override
    public void onDisconnected(final long receiveTimeNs, final String reason) throws InterruptedException
    {
        lastRecvNs = receiveTimeNs;
        final String oneLine = reason.isBlank() ? UNKNOWN_REASON : reason.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
        journal.append(receiveTimeNs, conn, venueCode, CaptureRecordKind.DISCONNECT, oneLine);
        feed.onDisconnected(receiveTimeNs, reason);
    }

    @Override
    public void resync(final int instrumentId, final long receiveTimeNs) throws InterruptedException
    {
        feed.resync(instrumentId, receiveTimeNs);
    }

    /**
     * Journals messages the session sends on this connection outside a connect (resubscriptions).
     *
     * @param messages the messages, in order.
     */
    void onSent(final List<String> messages)
    {
        for (final String message : messages)
        {
            journal.append(lastRecvNs, conn, venueCode, CaptureRecordKind.SEND, message);
        }
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
