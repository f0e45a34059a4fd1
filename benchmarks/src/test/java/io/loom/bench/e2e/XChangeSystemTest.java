package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;
import org.knowm.xchange.currency.CurrencyPair;
import org.knowm.xchange.dto.Order.OrderType;
import org.knowm.xchange.dto.marketdata.OrderBook;
import org.knowm.xchange.dto.marketdata.OrderBookUpdate;
import org.knowm.xchange.dto.trade.LimitOrder;

import javax.net.ssl.SSLContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XChangeSystemTest
{
    private static final long STAMP_A = 400_000_000L;
    private static final long STAMP_B = 600_000_000L;

    @Test
    void shouldStampEachBinanceUpdateWithItsOwnEventTimeOnceTheSnapshotsWallClockTimeIsForgotten() throws Exception
    {
        final XChangeSystem system = new XChangeSystem(StreamVenue.BINANCE, SSLContext.getDefault());
        final long epochNs = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
        final LatencyRecorder recorder = new LatencyRecorder(0, epochNs);
        recorder.openWindow();
        final OrderBook book = new OrderBook(new Date(), new ArrayList<>(List.of(level(OrderType.ASK, "2001.5", "1"))),
            new ArrayList<>(List.of(level(OrderType.BID, "2000.5", "2"))));

        system.onBinanceBook(book, recorder); // the snapshot's wall-clock time: forgotten, no sample
        book.update(new OrderBookUpdate(OrderType.BID, new BigDecimal("3"), CurrencyPair.ETH_USDT, new BigDecimal("2000.0"), new Date(STAMP_A),
            new BigDecimal("3")));
        final long beforeANs = System.nanoTime();
        system.onBinanceBook(book, recorder);
        final long afterANs = System.nanoTime();
        book.update(new OrderBookUpdate(OrderType.ASK, BigDecimal.ZERO, CurrencyPair.ETH_USDT, new BigDecimal("2001.5"), new Date(STAMP_B),
            BigDecimal.ZERO)); // a removal is stamped too
        final long beforeBNs = System.nanoTime();
        system.onBinanceBook(book, recorder);
        final long afterBNs = System.nanoTime();

        assertEquals(3, recorder.windowMessages());
        assertEquals(1, recorder.unsampled(), "only the first sight of the book goes without a sample");
        assertEquals(0, recorder.outOfRange(), "no stamp taken from the snapshot's wall-clock time");
        assertEquals(2, recorder.histogram().getTotalCount());
        // B's E is 200 ms after A's, so B's latency is the smaller one
        assertWithin(recorder.histogram().getMaxValue(), beforeANs - epochNs - STAMP_A, afterANs - epochNs - STAMP_A, "update A: its own E");
        assertWithin(recorder.histogram().getMinValue(), beforeBNs - epochNs - STAMP_B, afterBNs - epochNs - STAMP_B, "update B: its own E");
    }

    /** The histogram keeps 3 significant digits: a value may read up to 1/1000 off. */
    private static void assertWithin(final long valueNs, final long lowNs, final long highNs, final String what)
    {
        assertTrue(valueNs >= lowNs - lowNs / 500 && valueNs <= highNs + highNs / 500, what + ": " + valueNs + " not in [" + lowNs + ", " + highNs + "]");
    }

    private static LimitOrder level(final OrderType side, final String price, final String quantity)
    {
        return new LimitOrder(side, new BigDecimal(quantity), CurrencyPair.ETH_USDT, null, null, new BigDecimal(price));
    }
}
