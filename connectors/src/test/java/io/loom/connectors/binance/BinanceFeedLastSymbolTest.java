package io.loom.connectors.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.event.EventKind;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.InlineEventPublisher;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The feed answers the symbol it found last without looking it up again: every frame must still get
 * its own symbol's instrument and exponents, whatever symbol came before it (one that differs only
 * in its last byte, a prefix of it, one of another length, one too long to be remembered, an
 * unserved one), and a frame cut anywhere the error the feed gives it when nothing is remembered.
 * The oracle: the same frame fed to a fresh feed, which has no symbol to remember.
 */
class BinanceFeedLastSymbolTest
{
    /** Served symbols and their price / size exponents, all different, so that a wrong instrument shows in the mantissas. */
    private static final String[] SYMBOLS = {
        "ETHUSDT", "ETHUSDC", "ETHUSD", "ETHUSDT1", "1000SHIBUSDT", "1000SHIBUSDC", "ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOPQ", "ABCDEFGHIJKLMNOPR"};
    private static final int[][] EXPONENTS = {{-2, -4}, {-3, -5}, {-4, -6}, {-5, -7}, {-6, -8}, {-7, -3}, {-8, -2}, {-3, -3}, {-4, -4}};

    /** A decoded event, copied out of the reused one. */
    private record Seen(EventKind kind, int instrumentId, long price, long quantity)
    {
    }

    /** A feed of the first {@code served} {@link #SYMBOLS}, every event it publishes copied into {@link #events}. */
    private static final class Fixture
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final List<Seen> events = new ArrayList<>();
        final BinanceFeed feed;

        Fixture(final int served, final boolean discover)
        {
            final List<String> symbols = new ArrayList<>();
            for (int s = 0; s < served; s++)
            {
                registry.intern(BinanceMarket.SPOT.venue(), SYMBOLS[s], EXPONENTS[s][0], EXPONENTS[s][1]);
                symbols.add(SYMBOLS[s]);
            }
            final InlineEventPublisher publisher = new InlineEventPublisher(
                (event, sequence, endOfBatch) -> events.add(new Seen(event.kind(), event.instrumentId(), event.price(), event.quantity())), 1, 64);
            feed = new BinanceFeed(BinanceMarket.SPOT, registry, symbols, discover, publisher, instrumentId -> { });
        }

        /**
         * Feeds the frame from an exactly sized buffer.
         *
         * @return the quotes and trades it published (a bad frame's resync statuses left out: they depend on what came before).
         */
        List<Seen> frame(final String json) throws InterruptedException
        {
            final int before = events.size();
            final UnsafeBuffer buffer = new UnsafeBuffer(json.getBytes(StandardCharsets.US_ASCII));
            feed.onFrame(buffer, 0, buffer.capacity(), 1L);
            return events.subList(before, events.size()).stream().filter(event -> event.kind() != EventKind.STATUS).toList();
        }

        long errors()
        {
            return feed.counters().get(FeedCounter.ERRORS);
        }

        int id(final String symbol)
        {
            return registry.find(BinanceMarket.SPOT.venue(), symbol).id();
        }
    }

    @Test
    void shouldGiveEveryFrameItsOwnSymbolsInstrumentAndExponentsWhateverSymbolCameBefore() throws InterruptedException
    {
        final Fixture feed = new Fixture(SYMBOLS.length, false);
        final int[] order = {0, 0, 1, 0, 1, 1, 2, 0, 2, 3, 0, 3, 4, 5, 4, 4, 5, 6, 7, 8, 7, 7, 6, 0};

        for (int i = 0; i < order.length; i++)
        {
            final int s = order[i];
            final boolean ticker = i % 3 == 1;
            final String frame = ticker ? ticker(SYMBOLS[s]) : trade(SYMBOLS[s], i % 2 == 0);
            final List<Seen> events = feed.frame(frame);

            assertEquals(new Fixture(SYMBOLS.length, false).frame(frame), events, "frame " + i + " " + SYMBOLS[s]);
            assertEquals(ticker ? 2 : 1, events.size(), SYMBOLS[s]);
            for (int e = 0; e < events.size(); e++)
            {
                assertEquals(feed.id(SYMBOLS[s]), events.get(e).instrumentId(), SYMBOLS[s]);
                assertEquals(mantissa(e == 1 ? "2683.85" : "2683.84", EXPONENTS[s][0]), events.get(e).price(), SYMBOLS[s]);
                assertEquals(mantissa(ticker && e == 0 ? "10.5" : "0.5", EXPONENTS[s][1]), events.get(e).quantity(), SYMBOLS[s]);
            }
        }
        assertEquals(0, feed.errors(), feed.feed.counters().lastError());
    }

    @Test
    void shouldCountASymbolNotServedThatDiffersFromTheLastOnlyInItsLastByte() throws InterruptedException
    {
        final Fixture feed = new Fixture(1, false);

        assertEquals(1, feed.frame(trade("ETHUSDT", true)).size());
        assertEquals(List.of(), feed.frame(trade("ETHUSDC", true)));
        assertEquals(1, feed.errors());
        assertTrue(feed.feed.counters().lastError().contains("does not serve"), feed.feed.counters().lastError());
        assertEquals(List.of(), feed.frame(trade("ETHUSD", true)));
        assertEquals(List.of(), feed.frame(trade("ETHUSDT1", true)));
        assertEquals(3, feed.errors());

        final List<Seen> again = feed.frame(trade("ETHUSDT", false));

        assertEquals(1, again.size());
        assertEquals(feed.id("ETHUSDT"), again.get(0).instrumentId());
        assertEquals(mantissa("2683.84", -2), again.get(0).price());
    }

    @Test
    void shouldServeADiscoveredSymbolFromTheFrameAfterItWasFirstSeen() throws InterruptedException
    {
        final Fixture feed = new Fixture(0, true);

        final List<Seen> first = feed.frame(trade("NEWUSDT", true));
        final List<Seen> second = feed.frame(trade("NEWUSDT", false));
        final List<Seen> other = feed.frame(trade("NEWUSDC", true));
        final List<Seen> third = feed.frame(trade("NEWUSDT", true));

        final int id = feed.id("NEWUSDT");
        assertEquals(List.of(id, id, id), List.of(first.get(0).instrumentId(), second.get(0).instrumentId(), third.get(0).instrumentId()));
        assertNotEquals(id, other.get(0).instrumentId());
        assertEquals(feed.id("NEWUSDC"), other.get(0).instrumentId());
        assertEquals(List.of(first.get(0).price()), List.of(mantissa("2683.84", BinanceFeed.DISCOVERED_PRICE_EXPONENT)));
        assertEquals(0, feed.errors(), feed.feed.counters().lastError());
    }

    @Test
    void shouldReadASymbolAtTheVeryEndOfItsBufferAsAnyOther() throws InterruptedException
    {
        final Fixture feed = new Fixture(2, false);
        // a raw trade whose symbol comes last: fewer than 16 bytes follow it in its exactly sized buffer
        final String last = "{\"e\":\"trade\",\"E\":1723161255308,\"t\":5,\"p\":\"2683.84\",\"q\":\"0.5\",\"T\":1723161255307,\"m\":true,\"s\":\"ETHUSDC\"}";

        final List<Seen> before = feed.frame(trade("ETHUSDC", true));
        final List<Seen> atEnd = feed.frame(last);
        final List<Seen> other = feed.frame(last.replace("ETHUSDC", "ETHUSDT"));
        final List<Seen> after = feed.frame(trade("ETHUSDC", true));

        assertEquals(List.of(feed.id("ETHUSDC"), feed.id("ETHUSDC"), feed.id("ETHUSDT"), feed.id("ETHUSDC")),
            List.of(before.get(0).instrumentId(), atEnd.get(0).instrumentId(), other.get(0).instrumentId(), after.get(0).instrumentId()));
        assertEquals(List.of(mantissa("2683.84", -3), mantissa("2683.84", -2)), List.of(atEnd.get(0).price(), other.get(0).price()));
        assertEquals(0, feed.errors(), feed.feed.counters().lastError());
    }

    @Test
    void shouldGiveEveryStrictPrefixOfAFrameTheErrorAFreshFeedGivesItAfterTheSameAndAnotherSymbol() throws InterruptedException
    {
        for (final String frame : List.of(trade("ETHUSDT", true), ticker("ETHUSDT"), trade("ETHUSDC", false), ticker("1000SHIBUSDC")))
        {
            final Fixture feed = new Fixture(SYMBOLS.length, false);
            for (int prefix = 0; prefix < frame.length(); prefix++)
            {
                final String cut = frame.substring(0, prefix);
                feed.frame(trade("ETHUSDT", prefix % 2 == 0));
                final Fixture fresh = new Fixture(SYMBOLS.length, false);

                assertEquals(List.of(), feed.frame(cut), cut);
                assertEquals(List.of(), fresh.frame(cut), cut);
                assertEquals(prefix + 1L, feed.errors(), cut);
                assertEquals(fresh.feed.counters().lastError(), feed.feed.counters().lastError(), cut);
            }
            final List<Seen> whole = feed.frame(frame);

            assertFalse(whole.isEmpty(), frame);
            assertEquals(new Fixture(SYMBOLS.length, false).frame(frame), whole, frame);
        }
    }

    private static String trade(final String symbol, final boolean buyerIsMaker)
    {
        return "{\"stream\":\"" + symbol.toLowerCase(Locale.ROOT) + "@trade\",\"data\":{\"e\":\"trade\",\"E\":1723161255308,\"s\":\"" + symbol +
            "\",\"t\":1512412345,\"p\":\"2683.84000000\",\"q\":\"0.50000000\",\"T\":1723161255307,\"m\":" + buyerIsMaker + ",\"M\":true}}";
    }

    private static String ticker(final String symbol)
    {
        return BinanceFrames.spotTicker(symbol, 40104473953L, "2683.84000000", "10.50000000", "2683.85000000", "0.50000000");
    }

    private static long mantissa(final String decimal, final int exponent)
    {
        return new BigDecimal(decimal).movePointLeft(exponent).longValueExact();
    }
}
