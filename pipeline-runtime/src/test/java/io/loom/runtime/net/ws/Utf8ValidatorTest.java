package io.loom.runtime.net.ws;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
            assertEquals(jdkValid(data), valid(data), () -> java.util.HexFormat.ofDelimiter(" ").formatHex(data));
        }
    }

    private boolean valid(final byte[] data)
    {
        validator.reset();
        return validator.accept(new UnsafeBuffer(data), 0, data.length) && validator.isComplete();
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
