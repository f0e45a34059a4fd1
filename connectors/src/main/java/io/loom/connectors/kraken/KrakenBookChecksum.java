package io.loom.connectors.kraken;

import io.loom.api.book.OrderBookView;
import io.loom.runtime.codec.AsciiDecimal;
import java.util.zip.CRC32;

/**
 * Kraken's book checksum (WebSocket v1 {@code c} and v2 {@code checksum}): CRC32 over the top 10
 * asks from best (lowest) up, then the top 10 bids from best (highest) down; for each level its
 * price then its quantity as sent on the wire with the {@code '.'} removed and then the leading
 * zeros removed, all concatenated. Compared unsigned.
 *
 * <p>The wire strings are not kept: a Kraken pair sends every price with the same number of
 * decimals (its price precision) and every quantity with the same number (8), trailing zeros
 * included, so the string of a level set by an earlier message is regenerated exactly from its
 * mantissa: the digits of the value scaled to the wire decimals ({@code "0.05005000"} at 8
 * decimals is 5005000, whatever exponent the instrument's mantissas use). The feeds learn the
 * wire decimals of each pair from its snapshot and reject a level sent with other decimals, so the
 * regeneration is exact by construction; the bundled kraken-v1 capture (4,269 checksums) proves
 * it on real data.
 *
 * <p>Thread-safety: not thread-safe (reusable scratch); one per feed. Allocates nothing.
 */
public final class KrakenBookChecksum
{
    /** Levels per side the checksum covers. */
    public static final int LEVELS = 10;
    /** What {@link #compute} returns when a level cannot be written at its wire decimals (overflow). */
    public static final long NOT_REPRODUCIBLE = -1;

    private static final long[] POWERS_OF_TEN = new long[19];

    static
    {
        long power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++)
        {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private final CRC32 crc = new CRC32();
    private final byte[] text = new byte[2 * LEVELS * 2 * AsciiDecimal.MAX_LONG_DIGITS];

    /**
     * Computes the checksum of a book's top levels.
     *
     * @param book              the book.
     * @param priceExponent     the decimal exponent of the book's price mantissas (-5: 1e-5 units).
     * @param priceWireDecimals the decimals every price is sent with.
     * @param sizeExponent      the decimal exponent of the book's quantity mantissas.
     * @param sizeWireDecimals  the decimals every quantity is sent with.
     * @return the CRC32, 0 to 2^32 - 1, or {@link #NOT_REPRODUCIBLE}.
     */
    public long compute(
        final OrderBookView book, final int priceExponent, final int priceWireDecimals, final int sizeExponent, final int sizeWireDecimals)
    {
        int length = 0;
        final int asks = Math.min(LEVELS, book.askDepth());
        for (int level = 0; level < asks; level++)
        {
            length = append(book.askPrice(level), -priceExponent, priceWireDecimals, length);
            length = append(book.askQuantity(level), -sizeExponent, sizeWireDecimals, length);
            if (length < 0)
            {
                return NOT_REPRODUCIBLE;
            }
        }
        final int bids = Math.min(LEVELS, book.bidDepth());
        for (int level = 0; level < bids; level++)
        {
            length = append(book.bidPrice(level), -priceExponent, priceWireDecimals, length);
            length = append(book.bidQuantity(level), -sizeExponent, sizeWireDecimals, length);
            if (length < 0)
            {
                return NOT_REPRODUCIBLE;
            }
        }
        crc.reset();
        crc.update(text, 0, length);
        return crc.getValue();
    }

    /**
     * The digits Kraken's checksum string holds for one value: the value scaled to its wire
     * decimals, which is the wire string without {@code '.'} and leading zeros.
     *
     * @param mantissa       the value's mantissa.
     * @param scaleDigits    decimals of the mantissa's unit (minus its exponent).
     * @param wireDecimals   decimals the value is sent with.
     * @return the scaled value, or -1 if it does not fit a long or the mantissa is negative.
     */
    static long wireDigits(final long mantissa, final int scaleDigits, final int wireDecimals)
    {
        if (mantissa < 0 || Math.abs(wireDecimals - scaleDigits) >= POWERS_OF_TEN.length)
        {
            return -1;
        }
        if (wireDecimals >= scaleDigits)
        {
            final long power = POWERS_OF_TEN[wireDecimals - scaleDigits];
            return mantissa > Long.MAX_VALUE / power ? -1 : mantissa * power;
        }
        return mantissa / POWERS_OF_TEN[scaleDigits - wireDecimals];
    }

    private int append(final long mantissa, final int scaleDigits, final int wireDecimals, final int length)
    {
        if (length < 0)
        {
            return length;
        }
        final long digits = wireDigits(mantissa, scaleDigits, wireDecimals);
        return digits < 0 ? -1 : length + AsciiDecimal.putDigits(digits, text, length);
    }
}
