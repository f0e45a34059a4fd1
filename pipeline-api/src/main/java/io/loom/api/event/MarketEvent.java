package io.loom.api.event;

/**
 * One normalised market event: a pre-allocated, mutable slot of the pipeline's ring, reused for
 * every event that passes through that slot. No Strings: venue and instrument are interned int ids
 * (see {@link io.loom.api.instrument.InstrumentRegistry}); price and quantity are {@code long}
 * mantissas scaled by the instrument's decimal exponents, parsed exactly from the exchange's decimal
 * strings (never through {@code double}).
 *
 * <p>One exchange message becomes a contiguous run of events published together; the first and
 * last carry {@link #FIRST_OF_MESSAGE} and {@link #LAST_OF_MESSAGE}, so a stage can apply a
 * message atomically (for instance verify a checksum only at the message's end). The pipeline's
 * publisher writes those flags and the {@link #sourceId() source id} when it hands a claimed slot
 * to the source ({@link #messageStamp}); {@link #clear()} keeps such a stamp, so a source may clear
 * the slots it is given.
 *
 * <p>The enums are held as their ordinals, so filling a slot stores no references: a reference
 * store into a long-lived (old-generation) slot costs a GC card mark per event.
 *
 * <p>Thread-safety: none. A slot is written by one publisher, then read by stages in ring order
 * under the ring's memory barriers. A stage must not keep a reference to an event past
 * {@code onEvent}: copy what it needs.
 */
public final class MarketEvent
{
    /** Flag: the first event of an exchange message. */
    public static final int FIRST_OF_MESSAGE = 1;
    /** Flag: the last event of an exchange message. */
    public static final int LAST_OF_MESSAGE = 2;
    /** {@link #levelHint()} of an event whose source gives none. */
    public static final int NO_LEVEL_HINT = -1;

    private static final EventKind[] KINDS = EventKind.values();
    private static final Side[] SIDES = Side.values();
    private static final FeedStatus[] STATUSES = FeedStatus.values();
    private static final byte STATUS_KIND = (byte)EventKind.STATUS.ordinal();
    private static final byte NO_SIDE = (byte)Side.NONE.ordinal();
    private static final byte VALID = (byte)FeedStatus.VALID.ordinal();

    private int venueId;
    private int instrumentId;
    private byte kind = STATUS_KIND;
    private byte side = NO_SIDE;
    private byte status = VALID;
    private long price;
    private long quantity;
    private long sequence;
    private long exchangeTimeNs;
    private long receiveTimeNs;
    private int flags;
    private int sourceId;
    private int levelHint = NO_LEVEL_HINT;
    /** True once a publisher stamped this slot: {@link #clear()} then keeps {@link #flags} and {@link #sourceId}. */
    private boolean stamped;

    /**
     * Sets a book level in one call (what decoders do per level).
     *
     * @param instrumentId interned instrument.
     * @param side         bid or ask.
     * @param price        price mantissa.
     * @param quantity     quantity mantissa, 0 to remove the level.
     * @return this
     */
    public MarketEvent bookLevel(final int instrumentId, final Side side, final long price, final long quantity)
    {
        this.instrumentId = instrumentId;
        this.kind = (byte)EventKind.BOOK_LEVEL.ordinal();
        this.side = (byte)side.ordinal();
        this.price = price;
        this.quantity = quantity;
        this.levelHint = NO_LEVEL_HINT;
        return this;
    }

    /**
     * Sets one side of a venue's top-of-book quote ({@link EventKind#TOP_OF_BOOK}, published as a
     * BID event then an ASK event, with the update id it describes as the sequence).
     *
     * @param instrumentId interned instrument.
     * @param side         bid or ask.
     * @param price        the venue's best price of that side, 0 with quantity 0 if it says the side is empty.
     * @param quantity     the quantity at that price.
     * @return this
     */
    public MarketEvent topOfBook(final int instrumentId, final Side side, final long price, final long quantity)
    {
        this.instrumentId = instrumentId;
        this.kind = (byte)EventKind.TOP_OF_BOOK.ordinal();
        this.side = (byte)side.ordinal();
        this.price = price;
        this.quantity = quantity;
        this.levelHint = NO_LEVEL_HINT;
        return this;
    }

    /**
     * Sets a feed-status event for an instrument.
     *
     * @param instrumentId interned instrument.
     * @param status       the new status.
     * @return this
     */
    public MarketEvent feedStatus(final int instrumentId, final FeedStatus status)
    {
        this.instrumentId = instrumentId;
        this.kind = STATUS_KIND;
        this.status = (byte)status.ordinal();
        this.side = NO_SIDE;
        this.price = 0;
        this.quantity = 0;
        this.levelHint = NO_LEVEL_HINT;
        return this;
    }

    /**
     * Copies every field of {@code other} into this slot (used to move events between the overflow
     * queue and the ring).
     *
     * @param other the event to copy.
     * @return this
     */
    public MarketEvent copyFrom(final MarketEvent other)
    {
        venueId = other.venueId;
        instrumentId = other.instrumentId;
        kind = other.kind;
        side = other.side;
        status = other.status;
        price = other.price;
        quantity = other.quantity;
        sequence = other.sequence;
        exchangeTimeNs = other.exchangeTimeNs;
        receiveTimeNs = other.receiveTimeNs;
        flags = other.flags;
        sourceId = other.sourceId;
        levelHint = other.levelHint;
        stamped = other.stamped;
        return this;
    }

    /**
     * Stamps this slot as the event at one position of one source's message: what the pipeline's
     * publisher does when it hands out a claimed slot ({@code MessageClaim.event(i)}), so that
     * publishing writes nothing more per event. A source never calls it; a stage reads the stamp
     * through {@link #sourceId()} and {@link #flags()}.
     *
     * <p>From then on {@link #clear()} keeps the source id and flags (a source clearing the slot it
     * was just given must not wipe where its message begins and ends); {@link #flags(int)} and
     * {@link #sourceId(int)} still overwrite them.
     *
     * @param sourceId the publishing source's id.
     * @param flags    {@link #FIRST_OF_MESSAGE} and/or {@link #LAST_OF_MESSAGE}, or 0 for an event inside a message.
     * @return this
     */
    public MarketEvent messageStamp(final int sourceId, final int flags)
    {
        this.sourceId = sourceId;
        this.flags = flags;
        this.stamped = true;
        return this;
    }

    /**
     * Resets every field to its initial value, except a publisher's {@link #messageStamp stamp}:
     * on a slot handed out by a claim the source id and message flags stay as stamped (an event
     * never stamped, such as one a test builds, is reset whole).
     *
     * @return this
     */
    public MarketEvent clear()
    {
        venueId = 0;
        instrumentId = 0;
        kind = STATUS_KIND;
        side = NO_SIDE;
        status = VALID;
        price = 0;
        quantity = 0;
        sequence = 0;
        exchangeTimeNs = 0;
        receiveTimeNs = 0;
        levelHint = NO_LEVEL_HINT;
        if (!stamped)
        {
            flags = 0;
            sourceId = 0;
        }
        return this;
    }

    /**
     * Where the source's own copy of the book held this level right after the source applied it
     * (0 = best; for a new level where it went, for a removed one where it was): a book that holds
     * the same levels as the source's finds the level there without searching. Only a hint: a book
     * that differs (truncated, or behind) would find something else there, so a book checks it
     * before use and searches when it does not match. {@link #bookLevel} resets it.
     *
     * @return the level index, or {@link #NO_LEVEL_HINT}.
     */
    public int levelHint()
    {
        return levelHint;
    }

    /** @param levelHint see {@link #levelHint()}; {@link #NO_LEVEL_HINT} for none. @return this */
    public MarketEvent levelHint(final int levelHint)
    {
        this.levelHint = levelHint;
        return this;
    }

    /** @return the venue's id ({@link io.loom.api.instrument.Venue#id()}). */
    public int venueId()
    {
        return venueId;
    }

    /** @param venueId the venue's id. @return this */
    public MarketEvent venueId(final int venueId)
    {
        this.venueId = venueId;
        return this;
    }

    /** @return the interned instrument id. */
    public int instrumentId()
    {
        return instrumentId;
    }

    /** @param instrumentId the interned instrument id. @return this */
    public MarketEvent instrumentId(final int instrumentId)
    {
        this.instrumentId = instrumentId;
        return this;
    }

    /** @return what the event says. */
    public EventKind kind()
    {
        return KINDS[kind];
    }

    /** @param kind what the event says. @return this */
    public MarketEvent kind(final EventKind kind)
    {
        this.kind = (byte)kind.ordinal();
        return this;
    }

    /** @return the book side, or a trade's aggressor. */
    public Side side()
    {
        return SIDES[side];
    }

    /** @param side the book side or a trade's aggressor. @return this */
    public MarketEvent side(final Side side)
    {
        this.side = (byte)side.ordinal();
        return this;
    }

    /** @return the feed status of a {@link EventKind#STATUS} event. */
    public FeedStatus status()
    {
        return STATUSES[status];
    }

    /** @param status the feed status of a {@link EventKind#STATUS} event. @return this */
    public MarketEvent status(final FeedStatus status)
    {
        this.status = (byte)status.ordinal();
        return this;
    }

    /** @return the price mantissa (value = price x 10^priceExponent). */
    public long price()
    {
        return price;
    }

    /** @param price the price mantissa. @return this */
    public MarketEvent price(final long price)
    {
        this.price = price;
        return this;
    }

    /** @return the quantity mantissa (value = quantity x 10^sizeExponent); 0 removes a level. */
    public long quantity()
    {
        return quantity;
    }

    /** @param quantity the quantity mantissa. @return this */
    public MarketEvent quantity(final long quantity)
    {
        this.quantity = quantity;
        return this;
    }

    /** @return the exchange's sequence (book update id; for {@link EventKind#TOP_OF_BOOK} the update id it describes) or a trade's id. */
    public long sequence()
    {
        return sequence;
    }

    /** @param sequence the exchange sequence or trade id. @return this */
    public MarketEvent sequence(final long sequence)
    {
        this.sequence = sequence;
        return this;
    }

    /** @return the exchange's event time in epoch nanoseconds, 0 if unknown. */
    public long exchangeTimeNs()
    {
        return exchangeTimeNs;
    }

    /** @param exchangeTimeNs the exchange's event time, epoch ns. @return this */
    public MarketEvent exchangeTimeNs(final long exchangeTimeNs)
    {
        this.exchangeTimeNs = exchangeTimeNs;
        return this;
    }

    /** @return when the bytes of this event's message were received (reactor clock, ns). */
    public long receiveTimeNs()
    {
        return receiveTimeNs;
    }

    /** @param receiveTimeNs when the message was received, reactor clock ns. @return this */
    public MarketEvent receiveTimeNs(final long receiveTimeNs)
    {
        this.receiveTimeNs = receiveTimeNs;
        return this;
    }

    /** @return {@link #FIRST_OF_MESSAGE} and/or {@link #LAST_OF_MESSAGE}. */
    public int flags()
    {
        return flags;
    }

    /** @param flags message-boundary flags. @return this */
    public MarketEvent flags(final int flags)
    {
        this.flags = flags;
        return this;
    }

    /** @return true if this event starts an exchange message. */
    public boolean isFirstOfMessage()
    {
        return (flags & FIRST_OF_MESSAGE) != 0;
    }

    /** @return true if this event ends an exchange message. */
    public boolean isLastOfMessage()
    {
        return (flags & LAST_OF_MESSAGE) != 0;
    }

    /** @return the id of the pipeline source that published it. */
    public int sourceId()
    {
        return sourceId;
    }

    /** @param sourceId the publishing source's id. @return this */
    public MarketEvent sourceId(final int sourceId)
    {
        this.sourceId = sourceId;
        return this;
    }

    @Override
    public String toString()
    {
        return "MarketEvent{" + kind() + " venue=" + venueId + " instrument=" + instrumentId +
            (kind == STATUS_KIND ? " " + status() : " " + side() + " " + price + " x " + quantity) +
            " seq=" + sequence + " flags=" + flags + '}';
    }
}
