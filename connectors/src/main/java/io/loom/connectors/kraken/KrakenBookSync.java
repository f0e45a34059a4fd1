package io.loom.connectors.kraken;

import io.loom.api.book.OrderBookView;
import io.loom.api.book.BookState;
import io.loom.api.event.EventKind;
import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.SymbolIndex;
import io.loom.runtime.book.OrderBook;
import io.loom.runtime.codec.DecimalFormatException;
import java.util.Arrays;
import org.agrona.DirectBuffer;

/**
 * What Kraken's v1 and v2 feeds share once a message is decoded: the replica of every pair's book,
 * its subscribed depth and wire decimals, the rules (snapshot then updates, truncation to the
 * depth after every update, the CRC32 after every update, STALE and a resync request on any
 * failure) and the events each message publishes. Each pair's {@link KrakenBookChecksum} keeps the
 * best 20 levels of each side with their checksum text and is handed every level of an update as the
 * replica applies it ({@link KrakenBookChecksum#update}), so the CRC32 after the update reads the
 * book only where a side lost top levels; the position it finds is also the level's hint when it
 * lies among those (an update's level beyond them goes without one):
 *
 * <pre>
 *   snapshot  SNAPSHOT_BEGIN, asks best..worst, bids best..worst, SNAPSHOT_END, STATUS VALID
 *   update    BOOK_LEVEL per level as sent, BOOK_LEVEL quantity 0 per level truncated away,
 *             [STATUS STALE when the checksum failed]
 *   trades    TRADE per trade
 *   other     STATUS on every state change (RESYNC on connect, STALE on failure or disconnect)
 * </pre>
 *
 * Updates of a book that is not VALID are not applied: Kraken restarts a book only with a new
 * snapshot (after the session's unsubscribe and subscribe), which replaces it whole.
 *
 * <p>Pairs are slots 0..n-1: the venue's instruments in the registry at construction, and in
 * discover mode pairs interned on first sight (allocation happens then only).
 *
 * <p>Thread-safety: not thread-safe; owned by one feed and driven by its thread.
 */
final class KrakenBookSync
{
    /** Levels per side a replica holds before it grows: the deepest subscription (1000) plus the levels of a few updates. */
    static final int INITIAL_LEVELS_PER_SIDE = 2048;

    private final String venueName;
    private final InstrumentRegistry registry;
    private final boolean discover;
    private final EventPublisher publisher;
    private final ResyncRequests resyncs;
    private final FeedCounters counters;
    private final SymbolIndex symbols = new SymbolIndex();
    private final Side[] truncatedSides;
    private final long[] truncatedPrices;
    /** One side of a snapshot, read from the book in one pass ({@link OrderBook#copyLevels}). */
    private final long[] snapshotPrices;
    private final long[] snapshotQuantities;
    private Instrument[] instruments = new Instrument[16];
    private OrderBook[] books = new OrderBook[16];
    private KrakenBookChecksum[] checksums = new KrakenBookChecksum[16];
    private int[] priceWireDecimals = new int[16];
    private int[] sizeWireDecimals = new int[16];
    private boolean[] everValid = new boolean[16];
    /**
     * Levels each replica holds, per slot: asks at {@code 2 * slot}, bids at {@code 2 * slot + 1}, counted from what
     * {@link OrderBook#put} returns, so an update that leaves both sides within the depth skips truncation without
     * asking the book (whose count, after puts, is a count of bits over the side's window).
     */
    private int[] held = new int[32];
    private int slots;

    KrakenBookSync(
        final String venueName,
        final InstrumentRegistry registry,
        final boolean discover,
        final EventPublisher publisher,
        final ResyncRequests resyncs,
        final FeedCounters counters,
        final int maxLevelsPerMessage)
    {
        this.venueName = venueName;
        this.registry = registry;
        this.discover = discover;
        this.publisher = publisher;
        this.resyncs = resyncs;
        this.counters = counters;
        this.truncatedSides = new Side[maxLevelsPerMessage];
        this.truncatedPrices = new long[maxLevelsPerMessage];
        this.snapshotPrices = new long[maxLevelsPerMessage];
        this.snapshotQuantities = new long[maxLevelsPerMessage];
        for (final Instrument instrument : registry.all())
        {
            if (instrument.venue() == Venue.KRAKEN)
            {
                addSlot(instrument);
            }
        }
    }

    /**
     * @return the slot of a pair, or {@link SymbolIndex#MISSING}.
     */
    int slot(final DirectBuffer buffer, final int offset, final int length)
    {
        return symbols.get(buffer, offset, length);
    }

    /**
     * The slot of a pair, interning it in discover mode with exponents that fit the given decimals
     * (allocates then). Counts an error when the pair is unknown and cannot be interned.
     *
     * @return the slot, or {@link SymbolIndex#MISSING}.
     */
    int slotOrDiscover(final DirectBuffer buffer, final int offset, final int length, final int priceDecimals, final int sizeDecimals)
    {
        final int slot = symbols.get(buffer, offset, length);
        if (slot != SymbolIndex.MISSING)
        {
            return slot;
        }
        final String pair = buffer.getStringWithoutLengthAscii(offset, length);
        if (!discover)
        {
            counters.error(venueName + ": pair " + pair + " is not among the feed's instruments");
            return SymbolIndex.MISSING;
        }
        try
        {
            return addSlot(registry.intern(Venue.KRAKEN, pair, -priceDecimals, -sizeDecimals));
        }
        catch (final IllegalArgumentException ex)
        {
            counters.error(venueName + ": cannot intern " + pair + ": " + ex.getMessage());
            return SymbolIndex.MISSING;
        }
    }

    /**
     * Applies a decoded book message of one pair and publishes its events.
     *
     * @param buffer         the frame the levels' ranges point into.
     * @param slot           the pair.
     * @param snapshot       true for a snapshot, false for an update.
     * @param levels         the message's levels, in wire order (not yet resolved).
     * @param depth          the subscribed depth.
     * @param wireChecksum   the message's CRC32, or -1 if it carries none.
     * @param receiveTimeNs  when the frame arrived.
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void onBook(
        final DirectBuffer buffer, final int slot, final boolean snapshot, final KrakenLevels levels, final int depth, final long wireChecksum,
        final long receiveTimeNs) throws InterruptedException
    {
        final OrderBook book = books[slot];
        if (!snapshot && book.state() != BookState.VALID)
        {
            return;
        }
        if (snapshot && levels.count() > 0)
        {
            priceWireDecimals[slot] = levels.firstPriceDecimals(buffer);
            sizeWireDecimals[slot] = levels.firstSizeDecimals(buffer);
        }
        final Instrument instrument = instruments[slot];
        final int resolved;
        try
        {
            resolved = levels.resolve(
                buffer, instrument.priceExponent(), instrument.sizeExponent(), priceWireDecimals[slot], sizeWireDecimals[slot]);
        }
        catch (final DecimalFormatException ex)
        {
            fail(slot, "bad decimal " + ex.getMessage(), receiveTimeNs);
            return;
        }
        if (resolved != KrakenLevels.RESOLVED)
        {
            fail(slot, resolved == KrakenLevels.OUT_OF_RANGE ? "a price <= 0 or a negative quantity" :
                "a level sent with other decimals than the pair's " + priceWireDecimals[slot] + '/' + sizeWireDecimals[slot], receiveTimeNs);
            return;
        }
        if (!snapshot && wireChecksum < 0)
        {
            fail(slot, "an update without a checksum", receiveTimeNs);
            return;
        }
        final KrakenBookChecksum checksum = checksums[slot];
        if (snapshot)
        {
            book.clear();
            held[2 * slot] = 0;
            held[2 * slot + 1] = 0;
        }
        if (snapshot || depth < KrakenBookChecksum.LEVELS)
        {
            // the kept top 10 follow an update's levels only where truncation leaves 10 levels a side
            checksum.forget();
        }
        // KrakenLevels refused negative mantissas (OUT_OF_RANGE)
        int askLevels = 0;
        int bidLevels = 0;
        // a snapshot whose levels are all new and each side's strictly best first is, side by side, what the book holds
        boolean inBookOrder = true;
        long lastAsk = 0;
        long lastBid = Long.MAX_VALUE;
        for (int i = 0; i < levels.count(); i++)
        {
            final Side side = levels.side(i);
            final long price = levels.price(i);
            final long size = levels.size(i);
            if (snapshot)
            {
                // a snapshot sends each side best first: a level goes below those before it (a hint, checked by
                // the book); it publishes its levels, each with its index as its hint (publishSnapshotSide)
                if (side == Side.ASK)
                {
                    inBookOrder &= size > 0 && price > lastAsk;
                    lastAsk = price;
                }
                else
                {
                    inBookOrder &= size > 0 && price < lastBid;
                    lastBid = price;
                }
                count(slot, side, size, book.put(side, price, size, side == Side.ASK ? askLevels++ : bidLevels++));
            }
            else
            {
                // the kept levels say where the level is before the book changes: the book's hint and the stage's; a
                // level beyond them (UNKNOWN_LEVEL, no hint) is found by its price in the stage's window, by a search
                // outside it, which costs less than the replica's lastLevel (a recount of its window's bitmap after
                // each put): benchmarks/README.md, "kstage21"
                final int level = checksum.update(side, price, size);
                count(slot, side, size, book.put(side, price, size, level));
                levels.levelHint(i, level != KrakenBookChecksum.UNKNOWN_LEVEL ? level : MarketEvent.NO_LEVEL_HINT);
            }
        }
        final int truncated = truncate(slot, depth);
        counters.increment(FeedCounter.BOOK_MESSAGES);
        final boolean verified = wireChecksum < 0 || verify(slot, wireChecksum);
        if (snapshot)
        {
            publishSnapshot(slot, verified, inBookOrder && truncated == 0 ? levels : null, levels.latestTimeNs(), receiveTimeNs);
        }
        else
        {
            publishUpdate(slot, levels, depth, truncated, verified, receiveTimeNs);
        }
        if (!verified)
        {
            requestResync(slot);
        }
        else if (snapshot ? book.isCrossed() : checksum.isCrossed())
        {
            counters.increment(FeedCounter.CROSSED);
        }
    }

    /**
     * Publishes the trades of one message of a pair.
     *
     * @param buffer        the frame the trades' ranges point into.
     * @param slot          the pair.
     * @param trades        the trades (not yet resolved); sides, times and ids set by the decoder.
     * @param receiveTimeNs when the frame arrived.
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void onTrades(final DirectBuffer buffer, final int slot, final KrakenLevels trades, final long receiveTimeNs) throws InterruptedException
    {
        final Instrument instrument = instruments[slot];
        try
        {
            if (trades.resolve(buffer, instrument.priceExponent(), instrument.sizeExponent(),
                KrakenLevels.UNKNOWN_DECIMALS, KrakenLevels.UNKNOWN_DECIMALS) != KrakenLevels.RESOLVED)
            {
                counters.error(venueName + ": " + instrument.symbol() + ": a trade with a price <= 0 or a negative quantity");
                return;
            }
        }
        catch (final DecimalFormatException ex)
        {
            counters.error(venueName + ": " + instrument.symbol() + ": bad trade decimal " + ex.getMessage());
            return;
        }
        final EventPublisher.MessageClaim claim = publisher.claim(trades.count());
        for (int i = 0; i < trades.count(); i++)
        {
            event(claim.event(i), slot, EventKind.TRADE, trades.timeNs(i), receiveTimeNs)
                .side(trades.side(i)).price(trades.price(i)).quantity(trades.size(i)).sequence(trades.id(i));
        }
        claim.publish();
        counters.add(FeedCounter.TRADES, trades.count());
    }

    /**
     * Counts an error about one pair's book, makes it STALE and asks for its resync.
     *
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void fail(final int slot, final String reason, final long receiveTimeNs) throws InterruptedException
    {
        counters.error(venueName + ": " + instruments[slot].symbol() + ": " + reason);
        stale(slot, receiveTimeNs);
        requestResync(slot);
    }

    /**
     * Makes every book STALE and asks for the resync of each (a message that cannot be attributed
     * to a pair was bad).
     *
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void failAll(final long receiveTimeNs) throws InterruptedException
    {
        for (int slot = 0; slot < slots; slot++)
        {
            stale(slot, receiveTimeNs);
            requestResync(slot);
        }
    }

    /**
     * Makes a book STALE, publishing the change if it is one.
     *
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void stale(final int slot, final long receiveTimeNs) throws InterruptedException
    {
        transition(slot, BookState.STALE, FeedStatus.STALE, receiveTimeNs);
    }

    /** Asks the session to rebuild a pair's book, counting the request. */
    void requestResync(final int slot)
    {
        counters.increment(FeedCounter.RESYNC_REQUESTS);
        resyncs.requestResync(instruments[slot].id());
    }

    /**
     * A new connection: every book waits for its snapshot (STATUS RESYNC where that is a change).
     *
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void onConnected(final long receiveTimeNs) throws InterruptedException
    {
        for (int slot = 0; slot < slots; slot++)
        {
            transition(slot, BookState.SYNCING, FeedStatus.RESYNC, receiveTimeNs);
        }
    }

    /**
     * The connection is gone: every book is STALE.
     *
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void onDisconnected(final long receiveTimeNs) throws InterruptedException
    {
        for (int slot = 0; slot < slots; slot++)
        {
            stale(slot, receiveTimeNs);
        }
    }

    /**
     * @param instrumentId an instrument id.
     * @return its slot, or {@link SymbolIndex#MISSING} if the feed does not keep its book.
     */
    int slotOf(final int instrumentId)
    {
        for (int slot = 0; slot < slots; slot++)
        {
            if (instruments[slot].id() == instrumentId)
            {
                return slot;
            }
        }
        return SymbolIndex.MISSING;
    }

    /**
     * Someone outside the feed asked for a book to be rebuilt: STALE, and a resync requested.
     *
     * @param instrumentId the instrument; ignored if the feed keeps no book for it.
     * @param receiveTimeNs when, epoch ns.
     * @throws InterruptedException if publishing waits for ring room and is interrupted.
     */
    void resync(final int instrumentId, final long receiveTimeNs) throws InterruptedException
    {
        final int slot = slotOf(instrumentId);
        if (slot != SymbolIndex.MISSING)
        {
            stale(slot, receiveTimeNs);
            requestResync(slot);
        }
    }

    /**
     * @param instrumentId an instrument id.
     * @return the replica of its book, or null if the feed keeps none.
     */
    OrderBookView bookOf(final int instrumentId)
    {
        final int slot = slotOf(instrumentId);
        return slot == SymbolIndex.MISSING ? null : books[slot];
    }

    /** @return how many pairs the feed keeps. */
    int slots()
    {
        return slots;
    }

    /** @return the replica of a slot's book. */
    OrderBook book(final int slot)
    {
        return books[slot];
    }

    /** @return a slot's instrument. */
    Instrument instrument(final int slot)
    {
        return instruments[slot];
    }

    /**
     * Compares the book's checksum with the wire's: the top 10 kept from the last computation,
     * edited by the update's levels (read from the book only where a side lost top levels), or
     * read from the book whole after a snapshot.
     */
    private boolean verify(final int slot, final long wireChecksum)
    {
        final Instrument instrument = instruments[slot];
        final long computed = checksums[slot].computeUpdated(
            books[slot], instrument.priceExponent(), priceWireDecimals[slot], instrument.sizeExponent(), sizeWireDecimals[slot]);
        if (computed == wireChecksum)
        {
            counters.increment(FeedCounter.CHECKSUMS_OK);
            return true;
        }
        counters.checkFailed(FeedCounter.CHECKSUMS_FAILED,
            venueName + ": " + instrument.symbol() + ": checksum " + wireChecksum + " sent, " + computed + " computed");
        books[slot].state(BookState.STALE);
        return false;
    }

    /** Adds a level the replica set ({@code before}: the quantity it held, 0 for none) to its side's count. */
    private void count(final int slot, final Side side, final long size, final long before)
    {
        final int index = side == Side.ASK ? 2 * slot : 2 * slot + 1;
        if (size == 0)
        {
            held[index] -= before == 0 ? 0 : 1;
        }
        else
        {
            held[index] += before == 0 ? 1 : 0;
        }
    }

    /**
     * Truncates a replica to its depth, noting the levels cut away (the removals to publish); an
     * update that leaves both sides within the depth (the counts say so) leaves the book alone.
     *
     * @return the levels truncated away.
     */
    private int truncate(final int slot, final int depth)
    {
        final int asks = held[2 * slot];
        final int bids = held[2 * slot + 1];
        if (asks <= depth && bids <= depth)
        {
            return 0;
        }
        final OrderBook book = books[slot];
        int truncated = 0;
        for (int level = depth; level < asks && truncated < truncatedSides.length; level++)
        {
            truncatedSides[truncated] = Side.ASK;
            truncatedPrices[truncated++] = book.askPrice(level);
        }
        for (int level = depth; level < bids && truncated < truncatedSides.length; level++)
        {
            truncatedSides[truncated] = Side.BID;
            truncatedPrices[truncated++] = book.bidPrice(level);
        }
        book.truncate(depth);
        checksums[slot].truncated(depth);
        held[2 * slot] = Math.min(asks, depth);
        held[2 * slot + 1] = Math.min(bids, depth);
        return truncated;
    }

    /**
     * Publishes a snapshot applied to the book: its levels from {@code inBookOrder} (the snapshot's levels when they
     * are, side by side, what the book holds), else read back from the book.
     */
    private void publishSnapshot(
        final int slot, final boolean verified, final KrakenLevels inBookOrder, final long exchangeTimeNs, final long receiveTimeNs)
        throws InterruptedException
    {
        final OrderBook book = books[slot];
        final int asks = inBookOrder == null ? book.askDepth() : 0;
        final int bids = inBookOrder == null ? book.bidDepth() : 0;
        final EventPublisher.MessageClaim claim = publisher.claim((inBookOrder == null ? asks + bids : inBookOrder.count()) + 3);
        int index = 0;
        event(claim.event(index++), slot, EventKind.SNAPSHOT_BEGIN, exchangeTimeNs, receiveTimeNs).side(Side.NONE);
        if (inBookOrder == null)
        {
            index = publishSnapshotSide(claim, index, slot, book, Side.ASK, asks, exchangeTimeNs, receiveTimeNs);
            index = publishSnapshotSide(claim, index, slot, book, Side.BID, bids, exchangeTimeNs, receiveTimeNs);
        }
        else
        {
            index = publishSnapshotSide(claim, index, slot, inBookOrder, Side.ASK, exchangeTimeNs, receiveTimeNs);
            index = publishSnapshotSide(claim, index, slot, inBookOrder, Side.BID, exchangeTimeNs, receiveTimeNs);
        }
        event(claim.event(index++), slot, EventKind.SNAPSHOT_END, exchangeTimeNs, receiveTimeNs).side(Side.NONE);
        final FeedStatus status = verified ? FeedStatus.VALID : FeedStatus.STALE;
        event(claim.event(index), slot, EventKind.STATUS, exchangeTimeNs, receiveTimeNs).feedStatus(instruments[slot].id(), status);
        claim.publish();
        if (verified)
        {
            if (everValid[slot])
            {
                counters.increment(FeedCounter.RESYNCS);
            }
            everValid[slot] = true;
            book.state(BookState.VALID);
        }
    }

    /**
     * Publishes one side of a snapshot, best first, each level with its index as its hint. The
     * side holds at most the levels of the snapshot's message, so they fit the arrays.
     *
     * @return the index of the next event of the claim.
     */
    private int publishSnapshotSide(final EventPublisher.MessageClaim claim, final int first, final int slot, final OrderBook book,
        final Side side, final int levels, final long exchangeTimeNs, final long receiveTimeNs)
    {
        book.copyLevels(side, snapshotPrices, snapshotQuantities, levels);
        int index = first;
        for (int level = 0; level < levels; level++)
        {
            event(claim.event(index++), slot, EventKind.BOOK_LEVEL, exchangeTimeNs, receiveTimeNs)
                .side(side).price(snapshotPrices[level]).quantity(snapshotQuantities[level]).levelHint(level);
        }
        return index;
    }

    /**
     * Publishes one side of a snapshot from its levels (in the book's order: best first), each with its index as its hint.
     *
     * @return the index of the next event of the claim.
     */
    private int publishSnapshotSide(final EventPublisher.MessageClaim claim, final int first, final int slot, final KrakenLevels levels,
        final Side side, final long exchangeTimeNs, final long receiveTimeNs)
    {
        int index = first;
        int level = 0;
        for (int i = 0; i < levels.count(); i++)
        {
            if (levels.side(i) == side)
            {
                event(claim.event(index++), slot, EventKind.BOOK_LEVEL, exchangeTimeNs, receiveTimeNs)
                    .side(side).price(levels.price(i)).quantity(levels.size(i)).levelHint(level++);
            }
        }
        return index;
    }

    /** Publishes an update's levels and the removals of the levels truncated away, which the stage finds at the depth one by one. */
    private void publishUpdate(
        final int slot, final KrakenLevels levels, final int depth, final int truncated, final boolean verified, final long receiveTimeNs)
        throws InterruptedException
    {
        final int count = levels.count();
        final long latestTimeNs = levels.latestTimeNs();
        final EventPublisher.MessageClaim claim = publisher.claim(count + truncated + (verified ? 0 : 1));
        for (int i = 0; i < count; i++)
        {
            event(claim.event(i), slot, EventKind.BOOK_LEVEL, levels.timeNs(i), receiveTimeNs)
                .side(levels.side(i)).price(levels.price(i)).quantity(levels.size(i)).levelHint(levels.levelHint(i));
        }
        for (int i = 0; i < truncated; i++)
        {
            event(claim.event(count + i), slot, EventKind.BOOK_LEVEL, latestTimeNs, receiveTimeNs)
                .side(truncatedSides[i]).price(truncatedPrices[i]).quantity(0).levelHint(depth);
        }
        if (!verified)
        {
            event(claim.event(count + truncated), slot, EventKind.STATUS, latestTimeNs, receiveTimeNs)
                .feedStatus(instruments[slot].id(), FeedStatus.STALE);
        }
        claim.publish();
    }

    private void transition(final int slot, final BookState state, final FeedStatus status, final long receiveTimeNs)
        throws InterruptedException
    {
        final OrderBook book = books[slot];
        if (book.state() == state)
        {
            return;
        }
        book.state(state);
        final EventPublisher.MessageClaim claim = publisher.claim(1);
        event(claim.event(0), slot, EventKind.STATUS, 0, receiveTimeNs).feedStatus(instruments[slot].id(), status);
        claim.publish();
    }

    private MarketEvent event(final MarketEvent event, final int slot, final EventKind kind, final long exchangeTimeNs, final long receiveTimeNs)
    {
        return event.venueId(Venue.KRAKEN.id()).instrumentId(instruments[slot].id()).kind(kind).status(FeedStatus.VALID)
            .price(0).quantity(0).levelHint(MarketEvent.NO_LEVEL_HINT).sequence(0).exchangeTimeNs(exchangeTimeNs).receiveTimeNs(receiveTimeNs);
    }

    private int addSlot(final Instrument instrument)
    {
        if (slots == instruments.length)
        {
            final int capacity = slots * 2;
            instruments = Arrays.copyOf(instruments, capacity);
            books = Arrays.copyOf(books, capacity);
            checksums = Arrays.copyOf(checksums, capacity);
            priceWireDecimals = Arrays.copyOf(priceWireDecimals, capacity);
            sizeWireDecimals = Arrays.copyOf(sizeWireDecimals, capacity);
            everValid = Arrays.copyOf(everValid, capacity);
            held = Arrays.copyOf(held, 2 * capacity);
        }
        final int slot = slots++;
        instruments[slot] = instrument;
        books[slot] = new OrderBook(instrument.id(), INITIAL_LEVELS_PER_SIDE);
        checksums[slot] = new KrakenBookChecksum();
        priceWireDecimals[slot] = KrakenLevels.UNKNOWN_DECIMALS;
        sizeWireDecimals[slot] = KrakenLevels.UNKNOWN_DECIMALS;
        symbols.put(instrument.symbol(), slot);
        return slot;
    }
}
