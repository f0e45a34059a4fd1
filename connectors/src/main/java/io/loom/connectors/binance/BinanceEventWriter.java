package io.loom.connectors.binance;

import io.loom.api.event.EventKind;
import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.source.EventPublisher;

/**
 * Turns what a {@link BinanceFeed} decided into normalised events: one {@link EventPublisher#claim}
 * per message, every field the stages read set in every slot (slots are reused, never cleared).
 *
 * <pre>
 *   snapshot   SNAPSHOT_BEGIN, BOOK_LEVEL x n, SNAPSHOT_END     sequence = lastUpdateId
 *   diff       BOOK_LEVEL x n (none for an empty diff)           sequence = u
 *   bookTicker TOP_OF_BOOK BID (b, B), TOP_OF_BOOK ASK (a, A)    sequence = u (checked by the book stage)
 *   trade      TRADE (side = aggressor)                          sequence = trade id
 *   status     STATUS                                            sequence = last applied update id
 * </pre>
 *
 * <p>Snapshot levels carry their level hints (see {@link MarketEvent#levelHint()}): Binance sends
 * each side best first, so a level goes where the levels of its side sent before it end, in the
 * stage's book cleared at SNAPSHOT_BEGIN; a level of quantity 0 adds nothing. A snapshot out of
 * order only gets wrong hints, which the stage checks and ignores. Diff levels, live or buffered,
 * carry none ({@link MarketEvent#bookLevel} leaves {@link MarketEvent#NO_LEVEL_HINT}).
 *
 * <p>A {@code false} from {@link EventPublisher.MessageClaim#publish()} (a drop under
 * {@code DROP_AND_RESYNC}) is the pipeline's to handle: it marks the instrument stale and asks the
 * source to resync, which reaches the feed as {@link BinanceFeed#resync}.
 *
 * <p>Thread-safety: not thread-safe; the feed's thread only. Allocates nothing.
 */
final class BinanceEventWriter
{
    private final EventPublisher publisher;
    private final int venueId;

    BinanceEventWriter(final EventPublisher publisher, final int venueId)
    {
        this.publisher = publisher;
        this.venueId = venueId;
    }

    void status(final int instrumentId, final FeedStatus status, final long sequence, final long receiveTimeNs) throws InterruptedException
    {
        final EventPublisher.MessageClaim claim = publisher.claim(1);
        claim.event(0).feedStatus(instrumentId, status).venueId(venueId).sequence(sequence).exchangeTimeNs(0).receiveTimeNs(receiveTimeNs);
        claim.publish();
    }

    void snapshot(final int instrumentId, final BinanceMessage snapshot, final long receiveTimeNs) throws InterruptedException
    {
        final int levels = snapshot.levelCount;
        final long sequence = snapshot.finalUpdateId;
        final long exchangeTimeNs = snapshot.exchangeTimeNs();
        final EventPublisher.MessageClaim claim = publisher.claim(levels + 2);
        boundary(claim.event(0), instrumentId, EventKind.SNAPSHOT_BEGIN, sequence, exchangeTimeNs, receiveTimeNs);
        int bids = 0;
        int asks = 0;
        for (int i = 0; i < levels; i++)
        {
            final boolean bid = snapshot.levelSides[i] == 0;
            final long quantity = snapshot.levelQuantities[i];
            claim.event(i + 1)
                .bookLevel(instrumentId, bid ? Side.BID : Side.ASK, snapshot.levelPrices[i], quantity)
                .levelHint(bid ? bids : asks).venueId(venueId).sequence(sequence).exchangeTimeNs(exchangeTimeNs).receiveTimeNs(receiveTimeNs);
            if (quantity != 0)
            {
                if (bid)
                {
                    bids++;
                }
                else
                {
                    asks++;
                }
            }
        }
        boundary(claim.event(levels + 1), instrumentId, EventKind.SNAPSHOT_END, sequence, exchangeTimeNs, receiveTimeNs);
        claim.publish();
    }

    void diff(final int instrumentId, final BinanceMessage diff, final long receiveTimeNs) throws InterruptedException
    {
        final int levels = diff.levelCount;
        if (levels == 0)
        {
            return;
        }
        final long sequence = diff.finalUpdateId;
        final long exchangeTimeNs = diff.exchangeTimeNs();
        final EventPublisher.MessageClaim claim = publisher.claim(levels);
        for (int i = 0; i < levels; i++)
        {
            claim.event(i)
                .bookLevel(instrumentId, diff.levelSides[i] == 0 ? Side.BID : Side.ASK, diff.levelPrices[i], diff.levelQuantities[i])
                .venueId(venueId).sequence(sequence).exchangeTimeNs(exchangeTimeNs).receiveTimeNs(receiveTimeNs);
        }
        claim.publish();
    }

    void bufferedDiff(final int instrumentId, final DepthDiffBuffer buffer, final int diff) throws InterruptedException
    {
        final int levels = buffer.levelCount(diff);
        if (levels == 0)
        {
            return;
        }
        final int first = buffer.levelStart(diff);
        final long sequence = buffer.finalUpdateId(diff);
        final long exchangeTimeNs = buffer.exchangeTimeNs(diff);
        final long receiveTimeNs = buffer.receiveTimeNs(diff);
        final EventPublisher.MessageClaim claim = publisher.claim(levels);
        for (int i = 0; i < levels; i++)
        {
            final int level = first + i;
            claim.event(i)
                .bookLevel(instrumentId, buffer.levelIsAsk(level) ? Side.ASK : Side.BID, buffer.price(level), buffer.quantity(level))
                .venueId(venueId).sequence(sequence).exchangeTimeNs(exchangeTimeNs).receiveTimeNs(receiveTimeNs);
        }
        claim.publish();
    }

    /** A bookTicker: the venue's best bid and ask as of its update id, for the book stage to check. */
    void topOfBook(final int instrumentId, final BinanceMessage ticker, final long receiveTimeNs) throws InterruptedException
    {
        final long sequence = ticker.finalUpdateId;
        final long exchangeTimeNs = ticker.exchangeTimeNs();
        final EventPublisher.MessageClaim claim = publisher.claim(2);
        claim.event(0).topOfBook(instrumentId, Side.BID, ticker.bidPrice, ticker.bidQuantity)
            .venueId(venueId).sequence(sequence).exchangeTimeNs(exchangeTimeNs).receiveTimeNs(receiveTimeNs);
        claim.event(1).topOfBook(instrumentId, Side.ASK, ticker.askPrice, ticker.askQuantity)
            .venueId(venueId).sequence(sequence).exchangeTimeNs(exchangeTimeNs).receiveTimeNs(receiveTimeNs);
        claim.publish();
    }

    void trade(final int instrumentId, final BinanceMessage trade, final long receiveTimeNs) throws InterruptedException
    {
        final EventPublisher.MessageClaim claim = publisher.claim(1);
        claim.event(0)
            .venueId(venueId)
            .instrumentId(instrumentId)
            .kind(EventKind.TRADE)
            .side(trade.buyerIsMaker ? Side.ASK : Side.BID)
            .price(trade.tradePrice)
            .quantity(trade.tradeQuantity)
            .sequence(trade.tradeId)
            .exchangeTimeNs(trade.exchangeTimeNs())
            .receiveTimeNs(receiveTimeNs);
        claim.publish();
    }

    private void boundary(
        final MarketEvent event, final int instrumentId, final EventKind kind, final long sequence, final long exchangeTimeNs, final long receiveTimeNs)
    {
        event.venueId(venueId).instrumentId(instrumentId).kind(kind).side(Side.NONE).price(0).quantity(0)
            .sequence(sequence).exchangeTimeNs(exchangeTimeNs).receiveTimeNs(receiveTimeNs);
    }
}
