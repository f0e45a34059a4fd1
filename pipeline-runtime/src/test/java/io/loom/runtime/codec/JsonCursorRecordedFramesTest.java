package io.loom.runtime.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link JsonCursor} on real exchange messages from the bundled captures, against Jackson's
 * streaming parser as an independent reference: the same tokens on every recorded message, a
 * typed truncation error on every strict prefix, and the same accept/reject verdict on seeded
 * random mutations.
 */
class JsonCursorRecordedFramesTest
{
    private static final int MESSAGES_PER_CAPTURE = 3_000;
    private static final int PREFIX_SAMPLES_PER_CAPTURE = 60;
    private static final int MAX_PREFIX_MESSAGE_BYTES = 3_000;
    private static final int MUTATED_MESSAGES_PER_CAPTURE = 150;
    private static final int MUTATIONS_PER_MESSAGE = 40;
    private static final byte[] JSON_BYTES = "{}[]\":,\\ -+.0123456789eEtrufalsn/bu\t\n".getBytes(StandardCharsets.US_ASCII);

    private final JsonCursor cursor = new JsonCursor();

    @Test
    void shouldTokenizeEveryRecordedMessageAsJacksonDoes() throws IOException
    {
        int compared = 0;
        for (final String capture : RecordedFrames.CAPTURES)
        {
            for (final byte[] message : RecordedFrames.messages(capture, MESSAGES_PER_CAPTURE))
            {
                final String expected = JsonTokenTranscript.ofJackson(message);
                assertNotNull(expected, () -> "Jackson rejects a recorded message of " + capture);
                assertEquals(expected, JsonTokenTranscript.ofCursor(cursor, message), () -> new String(message, StandardCharsets.ISO_8859_1));
                compared++;
            }
        }
        assertTrue(compared > 10_000, "only " + compared + " messages compared");
    }

    @Test
    void shouldParseEveryRecordedDecimalStringExactly() throws IOException
    {
        int parsed = 0;
        for (final String capture : RecordedFrames.CAPTURES)
        {
            for (final byte[] message : RecordedFrames.messages(capture, MESSAGES_PER_CAPTURE))
            {
                cursor.wrap(new UnsafeBuffer(message), 0, message.length);
                for (JsonToken token = cursor.next(); token != JsonToken.END_OF_INPUT; token = cursor.next())
                {
                    if (token == JsonToken.STRING && isDecimal(message, cursor.tokenOffset(), cursor.tokenLength()))
                    {
                        final BigDecimal value = new BigDecimal(new String(message, cursor.tokenOffset(), cursor.tokenLength(), StandardCharsets.US_ASCII));
                        final int exponent = -AsciiDecimal.fractionDigits(new UnsafeBuffer(message), cursor.tokenOffset(), cursor.tokenLength());
                        assertEquals(value.scale(), -exponent);
                        assertEquals(value.unscaledValue().longValueExact(), cursor.tokenAsDecimal(exponent));
                        final BigDecimal picoUnits = value.movePointRight(12);
                        if (picoUnits.toBigIntegerExact().bitLength() < Long.SIZE)
                        {
                            assertEquals(picoUnits.longValueExact(), cursor.tokenAsDecimal(-12));
                        }
                        else
                        {
                            assertEquals(DecimalFormatException.Reason.OVERFLOW,
                                assertThrows(DecimalFormatException.class, () -> cursor.tokenAsDecimal(-12)).reason());
                        }
                        parsed++;
                    }
                }
            }
        }
        assertTrue(parsed > 100_000, "only " + parsed + " decimals parsed");
    }

    @Test
    void shouldFailEveryStrictPrefixWithUnexpectedEndAtItsLength() throws IOException
    {
        int prefixes = 0;
        for (final String capture : RecordedFrames.CAPTURES)
        {
            final List<byte[]> messages = RecordedFrames.messages(capture, MESSAGES_PER_CAPTURE);
            final int step = Math.max(1, messages.size() / PREFIX_SAMPLES_PER_CAPTURE);
            for (int m = 0; m < messages.size(); m += step)
            {
                final byte[] message = messages.get(m);
                if (message.length > MAX_PREFIX_MESSAGE_BYTES)
                {
                    continue;
                }
                final UnsafeBuffer buffer = new UnsafeBuffer(message);
                for (int length = 0; length < message.length; length++)
                {
                    cursor.wrap(buffer, 0, length);
                    try
                    {
                        for (int i = 0; i <= length + 1; i++)
                        {
                            if (cursor.next() == JsonToken.END_OF_INPUT)
                            {
                                fail("a " + length + "-byte prefix was accepted: " + new String(message, 0, length, StandardCharsets.ISO_8859_1));
                            }
                        }
                        fail("no end within " + (length + 2) + " tokens for a " + length + "-byte prefix");
                    }
                    catch (final JsonFormatException e)
                    {
                        assertEquals(JsonFormatException.Reason.UNEXPECTED_END, e.reason(), e.getMessage());
                        assertEquals(length, e.offsetInMessage(), e.getMessage());
                    }
                    prefixes++;
                }
            }
        }
        assertTrue(prefixes > 40_000, "only " + prefixes + " prefixes tried");
    }

    @Test
    void shouldAgreeWithJacksonOnSeededRandomMutations() throws IOException
    {
        final Random random = new Random(0x10_0D_EC);
        int stillValid = 0;
        int rejected = 0;
        for (final String capture : RecordedFrames.CAPTURES)
        {
            final List<byte[]> messages = RecordedFrames.messages(capture, MESSAGES_PER_CAPTURE);
            for (int m = 0; m < MUTATED_MESSAGES_PER_CAPTURE; m++)
            {
                final byte[] original = messages.get(random.nextInt(messages.size()));
                for (int k = 0; k < MUTATIONS_PER_MESSAGE; k++)
                {
                    final byte[] mutated = mutate(original, random);
                    final String expected = JsonTokenTranscript.ofJackson(mutated);
                    final String actual = JsonTokenTranscript.ofCursor(cursor, mutated);
                    assertEquals(expected, actual, () -> new String(mutated, StandardCharsets.ISO_8859_1));
                    if (actual == null)
                    {
                        rejected++;
                    }
                    else
                    {
                        stillValid++;
                        parseEveryValue(mutated);
                    }
                }
            }
        }
        assertTrue(stillValid > 1_000 && rejected > 1_000, stillValid + " mutations still valid, " + rejected + " rejected");
    }

    /** Converts every number and string of a valid message: only values or DecimalFormatException may come out. */
    private void parseEveryValue(final byte[] message)
    {
        cursor.wrap(new UnsafeBuffer(message), 0, message.length);
        for (JsonToken token = cursor.next(); token != JsonToken.END_OF_INPUT; token = cursor.next())
        {
            if (token == JsonToken.STRING || token == JsonToken.NUMBER)
            {
                try
                {
                    cursor.tokenAsDecimal(-8);
                }
                catch (final DecimalFormatException e)
                {
                    assertNotNull(e.reason());
                }
            }
        }
    }

    private static byte[] mutate(final byte[] original, final Random random)
    {
        final int edits = 1 + random.nextInt(3);
        byte[] bytes = original;
        for (int e = 0; e < edits; e++)
        {
            final int at = random.nextInt(bytes.length);
            final byte replacement = random.nextInt(4) == 0 ? (byte)random.nextInt(128) : JSON_BYTES[random.nextInt(JSON_BYTES.length)];
            switch (random.nextInt(4))
            {
                case 0 -> bytes = withByte(bytes, at, replacement);
                case 1 -> bytes = concat(Arrays.copyOfRange(bytes, 0, at), Arrays.copyOfRange(bytes, at + 1, bytes.length));
                case 2 -> bytes = concat(Arrays.copyOfRange(bytes, 0, at), new byte[]{replacement}, Arrays.copyOfRange(bytes, at, bytes.length));
                default ->
                {
                    final int to = at + random.nextInt(Math.min(8, bytes.length - at));
                    bytes = withByte(withByte(bytes, at, bytes[to]), to, bytes[at]);
                }
            }
            if (bytes.length == 0)
            {
                return bytes;
            }
        }
        return bytes;
    }

    private static byte[] withByte(final byte[] bytes, final int at, final byte value)
    {
        final byte[] copy = bytes.clone();
        copy[at] = value;
        return copy;
    }

    private static byte[] concat(final byte[]... parts)
    {
        final List<byte[]> list = new ArrayList<>(Arrays.asList(parts));
        final byte[] out = new byte[list.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (final byte[] part : list)
        {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private static boolean isDecimal(final byte[] message, final int offset, final int length)
    {
        if (length == 0)
        {
            return false;
        }
        boolean dot = false;
        for (int i = offset; i < offset + length; i++)
        {
            final byte b = message[i];
            if (b == '.' && !dot && i > offset && i < offset + length - 1)
            {
                dot = true;
            }
            else if (b < '0' || b > '9')
            {
                return false;
            }
        }
        return true;
    }
}
