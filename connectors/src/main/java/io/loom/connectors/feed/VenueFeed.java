package io.loom.connectors.feed;

import io.loom.api.book.OrderBookView;
import org.agrona.DirectBuffer;

/**
 * One venue connection's decoder, book synchronisation and checks, as a passive state machine: it
 * is told what arrived (frames, REST snapshot bodies, connects and disconnects) and publishes the
 * resulting events. A live session drives it from a socket, {@code loom verify} and replay from a
 * recorded capture: the same code decides in both, so a recording proves what a live run does.
 *
 * <p>A feed whose venue's checks need the book's levels (Kraken's checksum over its top ten) keeps
 * its own verified replica of every book, which those checks run against. A book that fails a
 * check is published as {@code STALE} (never served as valid) and the feed asks for a resync
 * through the {@link ResyncRequests} it was built with. Such a feed applies each level twice: to
 * the replica, on the feed's thread, and to the stage's book, on the stage's thread; to keep the
 * second cheap it publishes a level with its {@link io.loom.api.event.MarketEvent#levelHint()
 * level hint}, where the replica put it, when it knows that without counting. A feed whose checks need only the top of the book after
 * an update (Binance's bookTicker) keeps no replica: it decides sync from sequence ids alone and
 * publishes the venue's quotes as {@link io.loom.api.event.EventKind#TOP_OF_BOOK} events, which
 * the order-book stage checks against its own book.
 *
 * <p>Bad input (malformed JSON, bad decimals, unexpected messages) never escapes as an exception:
 * it is counted in {@link FeedCounters#errors()}, the affected books resync, and the next frame is
 * decoded normally. Exceptions thrown are programming errors or {@link InterruptedException}.
 *
 * <p>Thread-safety: not thread-safe; one feed is driven by one thread (its session's reactor, or
 * the verifying thread). Steady-state calls allocate nothing.
 */
public interface VenueFeed
{
    /**
     * A new connection is up and subscribed (or about to be): every book starts SYNCING.
     *
     * @param receiveTimeNs when, in epoch nanoseconds of the feed's clock.
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void onConnected(long receiveTimeNs) throws InterruptedException;

    /**
     * One inbound WebSocket text frame, exactly as received.
     *
     * @param buffer        holds the frame; valid only during the call.
     * @param offset        where the frame starts.
     * @param length        its length in bytes.
     * @param receiveTimeNs when it was received, epoch ns.
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void onFrame(DirectBuffer buffer, int offset, int length, long receiveTimeNs) throws InterruptedException;

    /**
     * A REST response body received on the feed's behalf (an order-book snapshot), with the URL it
     * was fetched from (the feed reads the instrument from it).
     *
     * @param buffer        holds the URL and the body; valid only during the call.
     * @param urlOffset     where the URL starts.
     * @param urlLength     its length.
     * @param bodyOffset    where the body starts.
     * @param bodyLength    its length.
     * @param receiveTimeNs when it was received, epoch ns.
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void onRestResponse(DirectBuffer buffer, int urlOffset, int urlLength, int bodyOffset, int bodyLength, long receiveTimeNs)
        throws InterruptedException;

    /**
     * The connection is gone: every book becomes STALE until it is synchronised again.
     *
     * @param receiveTimeNs when, epoch ns.
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void onDisconnected(long receiveTimeNs) throws InterruptedException;

    /**
     * The connection is gone, and why: what a live session calls, so that a feed that records
     * (the journal tap) keeps the reason. Decoding feeds need not override it: by default it is
     * {@link #onDisconnected(long)}.
     *
     * @param receiveTimeNs when, epoch ns.
     * @param reason        what ended the connection: a peer close with its code and reason, a read
     *                      timeout, an error with its type; one line, made on the failure path.
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    default void onDisconnected(final long receiveTimeNs, final String reason) throws InterruptedException
    {
        onDisconnected(receiveTimeNs);
    }

    /**
     * Something outside the feed (the pipeline, a stage) asks for an instrument's book to be
     * rebuilt: the feed marks it STALE and asks its {@link ResyncRequests} for a fresh snapshot.
     *
     * @param instrumentId the instrument.
     * @param receiveTimeNs when, epoch ns.
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void resync(int instrumentId, long receiveTimeNs) throws InterruptedException;

    /** @return the feed's counters (see {@link FeedCounters} for who may read them when). */
    FeedCounters counters();

    /**
     * The feed's verified replica of an instrument's book, for a feed that keeps one: read it on
     * the feed's thread. By default none.
     *
     * @param instrumentId an interned instrument id.
     * @return the replica, or null if the feed keeps no book for that instrument.
     */
    default OrderBookView book(final int instrumentId)
    {
        return null;
    }
}
