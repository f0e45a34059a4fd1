package io.loom.connectors.binance;

import io.loom.api.book.BookState;
import io.loom.api.event.FeedStatus;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.SymbolIndex;
import io.loom.connectors.feed.VenueFeed;
import io.loom.runtime.codec.DecimalFormatException;
import io.loom.runtime.codec.JsonFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import org.agrona.DirectBuffer;

/**
 * The {@link VenueFeed} of one Binance connection (spot, USD-M or COIN-M, see {@link BinanceMarket}):
 * decodes combined-stream or raw frames, keeps each instrument's book in sync from REST snapshots
 * and depth diffs by their update ids, and publishes normalised events: the levels for the book
 * stage to apply, and bookTickers as top-of-book quotes for the stage to check its book against.
 * The feed keeps no book of its own (see benchmarks/README.md, "verify8").
 *
 * <pre>
 *   onFrame ──▶ BinanceMessageDecoder: symbol ──▶ its exponents ──▶ levels' mantissas, one pass
 *                                                      │
 *        depthUpdate ──▶ BinanceBookSync (buffer / chain rule) ──▶ BOOK_LEVEL.., STATUS
 *        bookTicker  ──────────────────────────────────────────────▶ TOP_OF_BOOK BID, ASK (checked by the stage)
 *        trade, aggTrade ──────────────────────────────────────────────────▶ TRADE
 *        kline, subscription replies: ignored by design
 *   onRestResponse (…/depth?symbol=S…) ──▶ snapshot ──▶ SNAPSHOT_BEGIN, BOOK_LEVEL.., SNAPSHOT_END, buffered diffs, STATUS VALID
 * </pre>
 *
 * <p>Bad input never escapes as an exception: a frame that is not JSON, is truncated, is not a
 * message this feed knows, carries a decimal more precise than the instrument's exponent allows,
 * or names an instrument the feed does not serve is counted ({@link FeedCounter#ERRORS}, the text
 * in {@link FeedCounters#lastError()}) and the affected book resyncs (every book when the symbol
 * cannot be told). A REST response that is not a depth snapshot of one of the feed's instruments
 * is counted and dropped; a snapshot body that does not decode is counted and asked for again.
 *
 * <p>Instruments: either the given symbols, interned beforehand in the registry for the market's
 * venue with their exponents, or, in discover mode (offline verification of a capture), also every
 * symbol on first sight, interned with {@link #DISCOVERED_PRICE_EXPONENT} and
 * {@link #DISCOVERED_SIZE_EXPONENT} unless already interned (the only allocation after start).
 *
 * <p>bookTicker disagreement (or a crossed book) while the sequence chain is intact: the book stage
 * finds it, makes its book STALE and asks the pipeline for a resync, which comes back here as
 * {@link #resync}; the feed itself decides only from update ids (see {@link BinanceBookSync}).
 *
 * <p>Thread-safety: not thread-safe; one thread drives the feed (see {@link VenueFeed}). Steady
 * state allocates nothing; {@link #counters()} may be read from any thread.
 */
public final class BinanceFeed implements VenueFeed
{
    /** Price exponent of instruments discovered on first sight (Binance sends at most 8 decimals). */
    public static final int DISCOVERED_PRICE_EXPONENT = -8;
    /** Size exponent of instruments discovered on first sight. */
    public static final int DISCOVERED_SIZE_EXPONENT = -8;

    private static final byte[] SYMBOL_PARAMETER = "symbol=".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_SYMBOL_LENGTH = 40;
    private static final int ERROR_EXCERPT_BYTES = 160;

    private final BinanceMarket market;
    private final InstrumentRegistry registry;
    private final boolean discover;
    private final BinanceFeedLimits limits;
    private final BinanceEventWriter events;
    private final ResyncRequests resyncRequests;
    private final FeedCounters counters = new FeedCounters();
    private final BinanceMessageDecoder decoder = new BinanceMessageDecoder(this::exponentsOf);
    private final SymbolIndex symbols = new SymbolIndex();
    private final byte[] restDepthPath;
    private BinanceBookSync[] books = new BinanceBookSync[0];
    private BinanceBookSync[] booksByInstrumentId = new BinanceBookSync[16];
    private boolean everySnapshotApplies;
    /**
     * The symbol the decoder asked the exponents of while decoding the current frame (its offset,
     * -1 if none, and length) and its slot: the frame's book is taken from it, not looked up again.
     */
    private int askedSymbolOffset = -1;
    private int askedSymbolLength;
    private int askedSymbolSlot = SymbolIndex.MISSING;
    /** The symbol {@link #exponentsOf} last found: answered without a look-up. */
    private final LastFoundSymbol lastFound = new LastFoundSymbol();

    /**
     * A feed with the default {@link BinanceFeedLimits}.
     *
     * @param market         spot, USD-M or COIN-M.
     * @param registry       where the instruments are (or, discovering, get) interned.
     * @param symbols        the symbols served ("ETHUSDT"), interned in {@code registry} for the
     *                       market's venue; may be empty when discovering.
     * @param discover       also serve every other symbol on first sight.
     * @param publisher      receives the events.
     * @param resyncRequests asked for a fresh snapshot of an instrument.
     * @throws IllegalArgumentException if a symbol is not interned for the market's venue.
     */
    public BinanceFeed(
        final BinanceMarket market,
        final InstrumentRegistry registry,
        final Collection<String> symbols,
        final boolean discover,
        final EventPublisher publisher,
        final ResyncRequests resyncRequests)
    {
        this(market, registry, symbols, discover, publisher, resyncRequests, BinanceFeedLimits.defaults());
    }

    /**
     * A feed with explicit capacities.
     *
     * @param market         spot, USD-M or COIN-M.
     * @param registry       where the instruments are (or, discovering, get) interned.
     * @param symbols        the symbols served, interned beforehand; may be empty when discovering.
     * @param discover       also serve every other symbol on first sight.
     * @param publisher      receives the events.
     * @param resyncRequests asked for a fresh snapshot of an instrument.
     * @param limits         per-instrument capacities.
     * @throws IllegalArgumentException if a symbol is not interned for the market's venue.
     */
    public BinanceFeed(
        final BinanceMarket market,
        final InstrumentRegistry registry,
        final Collection<String> symbols,
        final boolean discover,
        final EventPublisher publisher,
        final ResyncRequests resyncRequests,
        final BinanceFeedLimits limits)
    {
        this.market = market;
        this.registry = registry;
        this.discover = discover;
        this.limits = limits;
        this.events = new BinanceEventWriter(publisher, market.venue().id());
        this.resyncRequests = resyncRequests;
        this.restDepthPath = market.restDepthPath().getBytes(StandardCharsets.US_ASCII);
        for (final String symbol : symbols)
        {
            final Instrument instrument = registry.find(market.venue(), symbol);
            if (instrument == null)
            {
                throw new IllegalArgumentException(market.venue().code() + ":" + symbol + " is not interned in the registry");
            }
            addBook(instrument);
        }
    }

    /**
     * The feed for a venue code, as a capture's {@code #venue} header names it ({@code loom verify}).
     *
     * @param venueCode      "binance-spot", "binance-usdm" or "binance-coinm".
     * @param registry       where the instruments are (or get) interned.
     * @param symbols        symbols interned beforehand; may be empty when discovering.
     * @param discover       also serve every other symbol on first sight.
     * @param publisher      receives the events.
     * @param resyncRequests asked for a fresh snapshot of an instrument.
     * @return the feed.
     * @throws IllegalArgumentException if the code names no Binance market, or a symbol is not interned.
     */
    public static BinanceFeed forVenue(
        final String venueCode,
        final InstrumentRegistry registry,
        final Collection<String> symbols,
        final boolean discover,
        final EventPublisher publisher,
        final ResyncRequests resyncRequests)
    {
        return new BinanceFeed(BinanceMarket.byVenueCode(venueCode), registry, symbols, discover, publisher, resyncRequests);
    }

    /** @return the market this feed decodes. */
    public BinanceMarket market()
    {
        return market;
    }

    @Override
    public FeedCounters counters()
    {
        return counters;
    }

    /**
     * What the feed last told the pipeline about an instrument's book. Feed thread only.
     *
     * @param instrumentId an instrument the feed serves.
     * @return SYNCING, VALID or STALE; null if the feed does not serve it.
     */
    public BookState publishedState(final int instrumentId)
    {
        final BinanceBookSync book = bookByInstrumentId(instrumentId);
        return book == null ? null : book.publishedState();
    }

    /**
     * For replay: from now on every REST snapshot is applied, also one that finds its book VALID
     * (the book then publishes RESYNC and starts over from the snapshot, as the live session did;
     * a book that already applied every diff up to the snapshot is VALID again at once, since the
     * live session rebuilt exactly that from the snapshot and the diffs it buffered meanwhile).
     * A recording holds only the snapshots its live session asked for, so a snapshot that finds the
     * replayed book VALID answers a resync the pipeline asked for (a stage's crossed-book check, say),
     * which the live session applied when it asked and replay cannot time (see
     * {@code io.loom.connectors.replay.ReplaySource}). Live feeds keep the default: a reply to a
     * request no longer needed is ignored. Feed thread only.
     */
    public void applyEverySnapshot()
    {
        everySnapshotApplies = true;
        for (final BinanceBookSync book : books)
        {
            book.applyEverySnapshot();
        }
    }

    /** @return times a book's diff buffer overflowed while it waited for a snapshot (each one asked for a new snapshot). */
    public long diffBufferOverflows()
    {
        long overflows = 0;
        for (final BinanceBookSync book : books)
        {
            overflows += book.bufferOverflows();
        }
        return overflows;
    }

    @Override
    public void onConnected(final long receiveTimeNs) throws InterruptedException
    {
        for (final BinanceBookSync book : books)
        {
            book.onConnected(receiveTimeNs);
        }
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs) throws InterruptedException
    {
        counters.increment(FeedCounter.FRAMES);
        final BinanceMessage message = decoder.message();
        final BinanceMessageType type;
        final BinanceBookSync book;
        askedSymbolOffset = -1;
        try
        {
            type = decoder.decodeFrame(buffer, offset, length);
            if (type == BinanceMessageType.IGNORED)
            {
                return;
            }
            book = message.symbolOffset == askedSymbolOffset && message.symbolLength == askedSymbolLength && askedSymbolSlot != SymbolIndex.MISSING
                ? books[askedSymbolSlot] : bookFor(buffer, message.symbolOffset, message.symbolLength, true);
            if (book == null)
            {
                throw new BinanceMessageException(BinanceMessageException.Reason.UNKNOWN_MESSAGE, "an instrument this feed does not serve");
            }
            if (type == BinanceMessageType.DEPTH_UPDATE && market.chainsOnPreviousUpdateId() && !message.hasPreviousFinalUpdateId)
            {
                throw new BinanceMessageException(BinanceMessageException.Reason.MISSING_FIELD, "a futures depthUpdate lacks pu");
            }
            final Instrument instrument = book.instrument();
            decoder.parseDecimals(instrument.priceExponent(), instrument.sizeExponent());
        }
        catch (final JsonFormatException | BinanceMessageException | DecimalFormatException ex)
        {
            badFrame(ex, buffer, offset, length, receiveTimeNs);
            return;
        }
        switch (type)
        {
            case DEPTH_UPDATE -> book.onDiff(message, receiveTimeNs);
            case BOOK_TICKER -> book.onTicker(message, receiveTimeNs);
            case TRADE, AGG_TRADE ->
            {
                counters.increment(FeedCounter.TRADES);
                events.trade(book.instrument().id(), message, receiveTimeNs);
            }
            default -> throw new IllegalStateException("a frame decoded to " + type);
        }
    }

    @Override
    public void onRestResponse(
        final DirectBuffer buffer, final int urlOffset, final int urlLength, final int bodyOffset, final int bodyLength, final long receiveTimeNs)
        throws InterruptedException
    {
        final int symbolOffset = symbolParameter(buffer, urlOffset, urlLength);
        if (symbolOffset < 0)
        {
            counters.error(market.venue().code() + ": a REST response that is not a " + market.restDepthPath() + "?symbol= snapshot: " +
                excerpt(buffer, urlOffset, urlLength));
            return;
        }
        int symbolEnd = symbolOffset;
        final int urlEnd = urlOffset + urlLength;
        while (symbolEnd < urlEnd && buffer.getByte(symbolEnd) != '&')
        {
            symbolEnd++;
        }
        final BinanceBookSync book = bookFor(buffer, symbolOffset, symbolEnd - symbolOffset, false);
        if (book == null)
        {
            counters.error(market.venue().code() + ": a depth snapshot of an instrument this feed does not serve: " +
                excerpt(buffer, urlOffset, urlLength));
            return;
        }
        try
        {
            decoder.decodeSnapshot(buffer, bodyOffset, bodyLength, book.instrument().priceExponent(), book.instrument().sizeExponent());
        }
        catch (final JsonFormatException | BinanceMessageException | DecimalFormatException ex)
        {
            counters.error(market.venue().code() + " " + book.instrument().symbol() + ": bad depth snapshot: " + ex.getMessage() + " in " +
                excerpt(buffer, bodyOffset, bodyLength));
            book.askForSnapshot();
            return;
        }
        book.onSnapshot(decoder.message(), receiveTimeNs);
    }

    @Override
    public void onDisconnected(final long receiveTimeNs) throws InterruptedException
    {
        for (final BinanceBookSync book : books)
        {
            book.onDisconnected(receiveTimeNs);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the feed does not serve the instrument.
     */
    @Override
    public void resync(final int instrumentId, final long receiveTimeNs) throws InterruptedException
    {
        final BinanceBookSync book = bookByInstrumentId(instrumentId);
        if (book == null)
        {
            throw new IllegalArgumentException(market.venue().code() + " feed does not serve instrument " + instrumentId);
        }
        book.resync(FeedStatus.RESYNC, receiveTimeNs);
    }

    private void badFrame(final RuntimeException failure, final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs)
        throws InterruptedException
    {
        counters.error(market.venue().code() + ": " + failure.getMessage() + " in frame " + excerpt(buffer, offset, length));
        final BinanceMessage message = decoder.message();
        final int slot = message.symbolLength > 0 ? symbols.get(buffer, message.symbolOffset, message.symbolLength) : SymbolIndex.MISSING;
        if (slot != SymbolIndex.MISSING)
        {
            books[slot].resync(FeedStatus.RESYNC, receiveTimeNs);
            return;
        }
        for (final BinanceBookSync book : books)
        {
            book.resync(FeedStatus.RESYNC, receiveTimeNs);
        }
    }

    /**
     * The decoder's question when it reads a symbol: the exponents of a book the feed has, else UNKNOWN
     * (discovery waits for a whole message). The symbol found last is answered without a look-up.
     */
    private long exponentsOf(final DirectBuffer buffer, final int offset, final int length)
    {
        askedSymbolOffset = offset;
        askedSymbolLength = length;
        if (lastFound.isLast(buffer, offset, length))
        {
            askedSymbolSlot = lastFound.slot();
            return lastFound.exponents();
        }
        final long exponents = lookUpExponents(buffer, offset, length);
        if (askedSymbolSlot != SymbolIndex.MISSING)
        {
            lastFound.remember(askedSymbolSlot, exponents);
        }
        return exponents;
    }

    private long lookUpExponents(final DirectBuffer buffer, final int offset, final int length)
    {
        final int slot = symbols.get(buffer, offset, length);
        askedSymbolSlot = slot;
        if (slot == SymbolIndex.MISSING)
        {
            return BinanceSymbolExponents.UNKNOWN;
        }
        final Instrument instrument = books[slot].instrument();
        return BinanceSymbolExponents.of(instrument.priceExponent(), instrument.sizeExponent());
    }

    /** @return the book of the symbol in the buffer; discovering, a new one (a snapshot asked for if {@code fromStream}); else null. */
    private BinanceBookSync bookFor(final DirectBuffer buffer, final int offset, final int length, final boolean fromStream)
    {
        final int slot = symbols.get(buffer, offset, length);
        if (slot != SymbolIndex.MISSING)
        {
            return books[slot];
        }
        if (!discover || !isPlausibleSymbol(buffer, offset, length))
        {
            return null;
        }
        final String symbol = buffer.getStringWithoutLengthAscii(offset, length);
        final Instrument known = registry.find(market.venue(), symbol);
        final BinanceBookSync book = addBook(known != null ? known :
            registry.intern(market.venue(), symbol, DISCOVERED_PRICE_EXPONENT, DISCOVERED_SIZE_EXPONENT));
        if (fromStream)
        {
            book.askForSnapshot();
        }
        return book;
    }

    private BinanceBookSync addBook(final Instrument instrument)
    {
        final BinanceBookSync book = new BinanceBookSync(instrument, market, limits, events, counters, resyncRequests);
        if (everySnapshotApplies)
        {
            book.applyEverySnapshot();
        }
        symbols.put(instrument.symbol(), books.length);
        books = Arrays.copyOf(books, books.length + 1);
        books[books.length - 1] = book;
        if (instrument.id() >= booksByInstrumentId.length)
        {
            booksByInstrumentId = Arrays.copyOf(booksByInstrumentId, Math.max(instrument.id() + 1, booksByInstrumentId.length * 2));
        }
        booksByInstrumentId[instrument.id()] = book;
        return book;
    }

    private BinanceBookSync bookByInstrumentId(final int instrumentId)
    {
        return instrumentId >= 0 && instrumentId < booksByInstrumentId.length ? booksByInstrumentId[instrumentId] : null;
    }

    /** @return where the {@code symbol=} value starts if the URL is the market's depth path with that parameter, else -1. */
    private int symbolParameter(final DirectBuffer buffer, final int urlOffset, final int urlLength)
    {
        final int path = indexOf(buffer, urlOffset, urlOffset + urlLength, restDepthPath);
        if (path < 0)
        {
            return -1;
        }
        final int end = urlOffset + urlLength;
        for (int at = indexOf(buffer, path, end, SYMBOL_PARAMETER); at >= 0; at = indexOf(buffer, at + 1, end, SYMBOL_PARAMETER))
        {
            final byte before = buffer.getByte(at - 1);
            if (before == '?' || before == '&')
            {
                return at + SYMBOL_PARAMETER.length;
            }
        }
        return -1;
    }

    private static int indexOf(final DirectBuffer buffer, final int from, final int end, final byte[] needle)
    {
        for (int at = from, last = end - needle.length; at <= last; at++)
        {
            int i = 0;
            while (i < needle.length && buffer.getByte(at + i) == needle[i])
            {
                i++;
            }
            if (i == needle.length)
            {
                return at;
            }
        }
        return -1;
    }

    private static boolean isPlausibleSymbol(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1 || length > MAX_SYMBOL_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(offset + i);
            if (!(b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-'))
            {
                return false;
            }
        }
        return true;
    }

    private static String excerpt(final DirectBuffer buffer, final int offset, final int length)
    {
        final String text = buffer.getStringWithoutLengthAscii(offset, Math.min(length, ERROR_EXCERPT_BYTES));
        return length > ERROR_EXCERPT_BYTES ? text + "...(" + length + " bytes)" : text;
    }
}
