package io.loom.runtime.net.ws;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8ValidatorTest
{
    private final Utf8Validator validator = new Utf8Validator();

    @Test
    void shouldAcceptValidTextIncludingFourByteCharacters()
    {
        assertTrue(valid("plain ascii, long enough to use the eight-byte fast path".getBytes(StandardCharsets.UTF_8)));
        assertTrue(valid("κόσμε €1 𝄞 \uD83D\uDE00 \u0000 \uFFFF".getBytes(StandardCharsets.UTF_8)));
        assertTrue(valid(new byte[0]));
    }

    @Test
    void shouldRejectOverlongsSurrogatesOutOfRangeAndStrayContinuations()
    {
        assertFalse(valid(bytes(0xC0, 0xAF)), "overlong '/'");
        assertFalse(valid(bytes(0xE0, 0x80, 0xAF)), "overlong 3-byte");
        assertFalse(valid(bytes(0xF0, 0x80, 0x80, 0xAF)), "overlong 4-byte");
        assertFalse(valid(bytes(0xED, 0xA0, 0x80)), "surrogate U+D800");
        assertFalse(valid(bytes(0xF4, 0x90, 0x80, 0x80)), "above U+10FFFF");
        assertFalse(valid(bytes(0x80)), "stray continuation");
        assertFalse(valid(bytes(0xFE)), "0xFE");
        assertFalse(valid(bytes(0xCE, 0xBA, 0xE1)), "truncated at end");
    }

    @Test
    void shouldValidateAcrossFragmentBoundaries()
    {
        final byte[] text = "κόσμε𝄞".getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= text.length; split++)
        {
            validator.reset();
            final UnsafeBuffer buffer = new UnsafeBuffer(text);
            assertTrue(validator.accept(buffer, 0, split));
            assertTrue(validator.accept(buffer, split, text.length - split));
            assertTrue(validator.isComplete(), "split at " + split);
        }
    }

    @Test
    void shouldFailFastOnTheFirstBadByte()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes(0xCE, 0xBA, 0xF5));
        assertFalse(validator.accept(buffer, 0, 3));
        assertFalse(validator.accept(new UnsafeBuffer(bytes(0x41)), 0, 1), "stays failed until reset");
        validator.reset();
        assertTrue(validator.accept(new UnsafeBuffer(bytes(0x41)), 0, 1));
    }

    @Test
    void shouldAgreeWithTheJdkDecoderOnRandomBytes()
    {
        final Random random = new Random(7);
        for (int i = 0; i < 50_000; i++)
        {
            final byte[] data = new byte[random.nextInt(12)];
            for (int j = 0; j < data.length; j++)
            {
                data[j] = (byte)(random.nextBoolean() ? random.nextInt(256) : 0x80 + random.nextInt(64));
            }
            assertEquals(jdkValid(data), valid(data), () -> HexFormat.ofDelimiter(" ").formatHex(data));
        }
    }

    @Test
    void shouldRefuseARangeOutsideTheBufferBeforeReadingIt()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ascii(16));
        assertThrows(IndexOutOfBoundsException.class, () -> validator.accept(buffer, 8, 9));
        assertThrows(IndexOutOfBoundsException.class, () -> validator.accept(buffer, -1, 4));
        assertTrue(validator.accept(buffer, 16, 0));
    }

    @Test
    void shouldRejectANonAsciiByteInEveryLaneOfTheAsciiFastPath()
    {
        for (int length = 1; length <= 80; length++)
        {
            for (int at = 0; at < length; at++)
            {
                for (final int bad : new int[] {0x80, 0xBF, 0xC0, 0xC1, 0xF5, 0xFF})
                {
                    final byte[] data = ascii(length);
                    data[at] = (byte)bad;
                    assertFalse(valid(data), "byte 0x" + Integer.toHexString(bad) + " at " + at + " of " + length);
                }
                final byte[] lastByteCut = ascii(length);
                lastByteCut[at] = (byte)0xC3; // a 2-byte lead followed by ASCII, or ending the message
                assertFalse(valid(lastByteCut), "lone lead byte at " + at + " of " + length);
            }
        }
    }

    @Test
    void shouldAcceptAMultiByteCharacterInEveryLaneOfTheAsciiFastPath()
    {
        for (final String character : new String[] {"\u00E9", "\u20AC", "\uD834\uDD1E"})
        {
            final byte[] encoded = character.getBytes(StandardCharsets.UTF_8);
            for (int length = encoded.length; length <= 80; length++)
            {
                for (int at = 0; at + encoded.length <= length; at++)
                {
                    final byte[] data = ascii(length);
                    System.arraycopy(encoded, 0, data, at, encoded.length);
                    assertTrue(valid(data), character + " at " + at + " of " + length);
                }
            }
        }
    }

    /**
     * Differential test against the JDK's strict decoder: text built of ASCII runs of every length
     * around the 8- and 32-byte steps and of 2-, 3- and 4-byte characters, then, in most cases, one
     * corruption (a byte replaced, dropped or inserted; a surrogate, overlong or out-of-range
     * sequence spliced in); validated in 1 to 5 fragments split at random points, so code points
     * are split across fragments, from heap and off-heap buffers at odd offsets.
     */
    @Test
    void shouldAgreeWithTheJdkDecoderOnTextSplitIntoFragmentsAnywhere()
    {
        final Random random = new Random(11);
        int invalid = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] data = corrupted(random, mixedText(random));
            final boolean expected = jdkValid(data);
            invalid += expected ? 0 : 1;
            final int[] splits = splits(random, data.length);
            assertEquals(expected, validInFragments(data, splits, false),
                () -> "heap " + HexFormat.ofDelimiter(" ").formatHex(data) + " split at " + Arrays.toString(splits));
            assertEquals(expected, validInFragments(data, splits, true),
                () -> "direct " + HexFormat.ofDelimiter(" ").formatHex(data) + " split at " + Arrays.toString(splits));
        }
        assertTrue(invalid > 5_000 && invalid < 15_000, "both outcomes well represented: " + invalid + " invalid of 20,000");
    }

    private boolean valid(final byte[] data)
    {
        validator.reset();
        return validator.accept(new UnsafeBuffer(data), 0, data.length) && validator.isComplete();
    }

    private boolean validInFragments(final byte[] data, final int[] splits, final boolean direct)
    {
        final int offset = 3; // not word-aligned
        final UnsafeBuffer buffer = direct
            ? new UnsafeBuffer(ByteBuffer.allocateDirect(offset + data.length + offset))
            : new UnsafeBuffer(new byte[offset + data.length + offset]);
        buffer.putBytes(offset, data);
        validator.reset();
        boolean accepted = true;
        int from = 0;
        for (int k = 0; k <= splits.length; k++)
        {
            final int to = k < splits.length ? splits[k] : data.length;
            accepted &= validator.accept(buffer, offset + from, to - from);
            from = to;
        }
        return accepted && validator.isComplete();
    }

    /** ASCII runs of 0-70 bytes between random 1- to 4-byte characters. */
    private static byte[] mixedText(final Random random)
    {
        final StringBuilder text = new StringBuilder();
        final int parts = 1 + random.nextInt(6);
        for (int p = 0; p < parts; p++)
        {
            final int run = random.nextInt(71);
            for (int k = 0; k < run; k++)
            {
                text.append((char)(0x20 + random.nextInt(0x5F)));
            }
            switch (random.nextInt(4))
            {
                case 0 -> text.append((char)(0x80 + random.nextInt(0x780)));             // 2 bytes
                case 1 -> text.append((char)(0x800 + random.nextInt(0xD800 - 0x800)));   // 3 bytes, below the surrogates
                case 2 -> text.append((char)(0xE000 + random.nextInt(0x2000)));           // 3 bytes, above them
                default -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));      // 4 bytes
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code data} unchanged one time in three, else with one random corruption. */
    private static byte[] corrupted(final Random random, final byte[] data)
    {
        if (data.length == 0 || random.nextInt(3) == 0)
        {
            return data;
        }
        final int at = random.nextInt(data.length);
        final byte[][] spliced = {bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xBF, 0xBF), bytes(0xC0, 0x80), bytes(0xE0, 0x9F, 0xBF),
            bytes(0xF0, 0x8F, 0xBF, 0xBF), bytes(0xF4, 0x90, 0x80, 0x80), bytes(0x80), bytes(0xF8, 0x88, 0x80, 0x80, 0x80)};
        return switch (random.nextInt(4))
        {
            case 0 ->
            {
                final byte[] copy = data.clone();
                copy[at] = (byte)(0x80 + random.nextInt(0x80));
                yield copy;
            }
            case 1 ->
            {
                final byte[] copy = new byte[data.length - 1];
                System.arraycopy(data, 0, copy, 0, at);
                System.arraycopy(data, at + 1, copy, at, data.length - at - 1);
                yield copy;
            }
            case 2 -> insert(data, at, bytes(0x80 + random.nextInt(0x80)));
            default -> insert(data, at, spliced[random.nextInt(spliced.length)]);
        };
    }

    private static byte[] insert(final byte[] data, final int at, final byte[] inserted)
    {
        final byte[] copy = new byte[data.length + inserted.length];
        System.arraycopy(data, 0, copy, 0, at);
        System.arraycopy(inserted, 0, copy, at, inserted.length);
        System.arraycopy(data, at, copy, at + inserted.length, data.length - at);
        return copy;
    }

    /** 0 to 4 sorted split points in [0, length]. */
    private static int[] splits(final Random random, final int length)
    {
        final int[] splits = new int[random.nextInt(5)];
        for (int k = 0; k < splits.length; k++)
        {
            splits[k] = random.nextInt(length + 1);
        }
        Arrays.sort(splits);
        return splits;
    }

    private static byte[] ascii(final int length)
    {
        final byte[] data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)('a' + i % 26);
        }
        return data;
    }

    private static boolean jdkValid(final byte[] data)
    {
        try
        {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(data));
            return true;
        }
        catch (final CharacterCodingException ex)
        {
            return false;
        }
    }

    private static byte[] bytes(final int... values)
    {
        final byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            result[i] = (byte)values[i];
        }
        return result;
    }
}
