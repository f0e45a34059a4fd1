package io.loom.connectors.kraken;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loom.api.event.Side;
import io.loom.runtime.book.OrderBook;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class KrakenBookChecksumTest
{
    @Test
    void shouldReproduceTheDocumentedV2ExampleFromMantissas()
    {
        // https://docs.kraken.com/api/docs/guides/spot-ws-book-v2 : BTC/USD, checksum 3310070434
        final OrderBook book = new OrderBook(1, 16);
        for (final String[] level : KrakenV2FeedTest.DOC_BIDS)
        {
            book.set(Side.BID, mantissa(level[0], 1), mantissa(level[1], 8));
        }
        for (final String[] level : KrakenV2FeedTest.DOC_ASKS)
        {
            book.set(Side.ASK, mantissa(level[0], 1), mantissa(level[1], 8));
        }
        assertEquals(KrakenV2FeedTest.DOC_CHECKSUM, new KrakenBookChecksum().compute(book, -1, 1, -8, 8));
        assertEquals(KrakenV2FeedTest.DOC_CHECKSUM, KrakenV2FeedTest.docModel().checksum(), "the independent string oracle agrees");
    }

    @Test
    void shouldRegenerateWireDigitsWhateverTheMantissaExponent()
    {
        final OrderBook book = new OrderBook(1, 16);
        for (final String[] level : KrakenV2FeedTest.DOC_BIDS)
        {
            book.set(Side.BID, mantissa(level[0], 4), mantissa(level[1], 10));
        }
        for (final String[] level : KrakenV2FeedTest.DOC_ASKS)
        {
            book.set(Side.ASK, mantissa(level[0], 4), mantissa(level[1], 10));
        }
        assertEquals(KrakenV2FeedTest.DOC_CHECKSUM, new KrakenBookChecksum().compute(book, -4, 1, -10, 8));
    }

    @Test
    void shouldScaleBetweenMantissaAndWireDecimals()
    {
        assertEquals(5_005_000L, KrakenBookChecksum.wireDigits(5_005L, 5, 8));
        assertEquals(5_005L, KrakenBookChecksum.wireDigits(5_005_000L, 8, 5));
        assertEquals(-1L, KrakenBookChecksum.wireDigits(Long.MAX_VALUE / 5, 0, 1));
        assertEquals(-1L, KrakenBookChecksum.wireDigits(-1, 0, 0));
    }

    private static long mantissa(final String decimal, final int scale)
    {
        return new BigDecimal(decimal).setScale(scale).unscaledValue().longValueExact();
    }
}
