package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KrakenLevelTimeTest
{
    @Test
    void shouldWriteTheStampAsFixedWidthSeconds()
    {
        assertEquals("10000000.0000005", KrakenLevelTime.text(0));
        assertEquals("11234567.8912345", KrakenLevelTime.text(1_234_567_891_234L));
        assertEquals("19999999.9999995", KrakenLevelTime.text(KrakenLevelTime.STAMP_LIMIT_NS - 1));
        assertThrows(IllegalArgumentException.class, () -> KrakenLevelTime.text(KrakenLevelTime.STAMP_LIMIT_NS));
        assertThrows(IllegalArgumentException.class, () -> KrakenLevelTime.text(-1));
    }

    /** Whole µs are where a truncating reader slips: a stamp of 5,000 ns must not read as 4 µs. */
    @Test
    void shouldGiveTheStampBackToEveryKindOfReader()
    {
        final long[] stamps = {0, 1, 999, 1_000, 5_000, 123_456_789, 1_000_000_000, 8_639_999_999_000L, 1_234_567_891_234L,
            KrakenLevelTime.STAMP_LIMIT_NS - 1, KrakenLevelTime.STAMP_LIMIT_NS - 1_000};
        for (long step = 0; step < 50_000; step++)
        {
            check(step * 199_999_000L + step % 3);
        }
        for (final long stampNs : stamps)
        {
            check(stampNs);
        }
    }

    private static void check(final long stampNs)
    {
        final String text = KrakenLevelTime.text(stampNs);
        final BigDecimal seconds = new BigDecimal(text);
        assertEquals(stampNs, KrakenLevelTime.stampNsOfSeconds(seconds), text);
        // Loom's decoder: the decimal seconds scaled exactly to ns
        assertEquals(stampNs, KrakenLevelTime.stampNsOfLoomTimeNs(seconds.movePointRight(9).longValueExact()), text);
        // XChange 5.1.1 (KrakenStreamingAdapters): new Date((long)(Double.parseDouble(text) * 1000))
        final long millis = (long)(Double.parseDouble(text) * 1000);
        assertEquals(stampNs / 1_000 * 1_000, KrakenLevelTime.stampNsOfXChangeMillis(millis), text);
    }
}
