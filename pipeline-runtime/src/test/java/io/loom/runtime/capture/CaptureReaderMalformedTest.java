package io.loom.runtime.capture;

import io.loom.runtime.capture.CaptureFormatException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of malformed capture gives a {@link CaptureFormatException} with the right reason and line. */
class CaptureReaderMalformedTest
{
    private static final String HEADER = "#loom-capture 1\n#venue kraken-v1\n#source test\n";
    private static final String BOOK = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";

    static Stream<Arguments> malformed()
    {
        return Stream.of(
            Arguments.of("empty input", "", Reason.MISSING_HEADER, 1),
            Arguments.of("no header", "1\t0\tWS\t{}\n", Reason.MISSING_HEADER, 1),
            Arguments.of("venue first", "#venue kraken-v1\n#loom-capture 1\n", Reason.MISSING_HEADER, 1),
            Arguments.of("bad version", "#loom-capture 2\n#venue kraken-v1\n#source s\n", Reason.BAD_VERSION, 1),
            Arguments.of("input ends after line 1", "#loom-capture 1\n", Reason.MISSING_VENUE, 2),
            Arguments.of("no venue", "#loom-capture 1\n#source s\n", Reason.MISSING_VENUE, 2),
            Arguments.of("unknown venue", "#loom-capture 1\n#venue kraken\n#source s\n", Reason.UNKNOWN_VENUE, 2),
            Arguments.of("no source", "#loom-capture 1\n#venue kraken-v1\n#note n\n", Reason.BAD_HEADER, 3),
            Arguments.of("unknown header line", HEADER + "#note fine\n#comment x\n", Reason.BAD_HEADER, 5),
            Arguments.of("three fields", HEADER + "1\t0\tWS\n", Reason.FIELD_COUNT, 4),
            Arguments.of("five fields", HEADER + "1\t0\tWS\ta\tb\n", Reason.FIELD_COUNT, 4),
            Arguments.of("empty line", HEADER + "1\t0\tWS\ta\n\n", Reason.FIELD_COUNT, 5),
            Arguments.of("letter in recv_ns", HEADER + "1\t0\tWS\ta\nx1\t0\tWS\ta\n", Reason.BAD_NUMBER, 5),
            Arguments.of("negative conn", HEADER + "1\t-1\tWS\ta\n", Reason.BAD_NUMBER, 4),
            Arguments.of("recv_ns overflows", HEADER + "99999999999999999999\t0\tWS\ta\n", Reason.BAD_NUMBER, 4),
            Arguments.of("leading zero", HEADER + "05\t0\tWS\ta\n", Reason.BAD_NUMBER, 4),
            Arguments.of("empty conn", HEADER + "5\t\tWS\ta\n", Reason.BAD_NUMBER, 4),
            Arguments.of("unknown kind", HEADER + "5\t0\tFRAME\ta\n", Reason.UNKNOWN_KIND, 4),
            Arguments.of("decreasing time", HEADER + "5\t0\tWS\ta\n5\t0\tWS\tb\n4\t0\tWS\tc\n", Reason.TIME_DECREASING, 6),
            Arguments.of("carriage return", HEADER + "5\t0\tWS\ta\r\n", Reason.BAD_PAYLOAD, 4),
            Arguments.of("REST without body", HEADER + "5\t0\tREST\thttps://x/y\n", Reason.BAD_PAYLOAD, 4),
            Arguments.of("REST without URL", HEADER + "5\t0\tREST\t {}\n", Reason.BAD_PAYLOAD, 4),
            Arguments.of("last line without line feed", HEADER + "5\t0\tWS\ta\n6\t0\tWS\tb", Reason.TRUNCATED, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldRejectMalformedPlainCapture(final String name, final String text, final Reason reason, final int line)
    {
        assertRejected(text.getBytes(StandardCharsets.UTF_8), reason, line);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldRejectMalformedGzipCapture(final String name, final String text, final Reason reason, final int line)
        throws IOException
    {
        assertRejected(gzip(text.getBytes(StandardCharsets.UTF_8)), reason, line);
    }

    @Test
    void shouldRejectTruncatedGzipAtTheLineItEndsIn() throws IOException
    {
        final byte[] whole = Files.readAllBytes(TestCaptures.path(BOOK));
        final byte[] half = Arrays.copyOf(whole, whole.length / 2);

        assertRejected(half, Reason.TRUNCATED, completeLinesBeforeEnd(half) + 1);
    }

    @Test
    void shouldRejectGzipCutInsideItsHeader() throws IOException
    {
        final byte[] whole = Files.readAllBytes(TestCaptures.path(BOOK));

        assertRejected(Arrays.copyOf(whole, 5), Reason.TRUNCATED, 1);
    }

    @Test
    void shouldRejectCorruptGzipTrailer() throws IOException
    {
        final byte[] corrupt = Files.readAllBytes(TestCaptures.path(BOOK));
        corrupt[corrupt.length - 6] ^= 0x55; // inside the CRC32 of the trailer

        final CaptureFormatException ex = assertThrows(CaptureFormatException.class, () -> readAll(corrupt));
        assertEquals(Reason.CORRUPT_GZIP, ex.reason());
    }

    @Test
    void shouldAcceptHeaderWithoutRecords() throws IOException
    {
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream((HEADER + "#note n\n").getBytes(StandardCharsets.UTF_8)), "h"))
        {
            assertEquals(CaptureHeader.of("kraken-v1", "test", "n"), reader.header());
            assertEquals(false, reader.next());
        }
    }

    private static void assertRejected(final byte[] bytes, final Reason reason, final long line)
    {
        final CaptureFormatException ex = assertThrows(CaptureFormatException.class, () -> readAll(bytes));
        assertEquals(reason, ex.reason(), ex.getMessage());
        assertEquals(line, ex.lineNumber(), ex.getMessage());
        assertEquals("bad.capture", ex.source());
        assertTrue(ex.getMessage().startsWith("bad.capture:" + line + ": " + reason + ": "), ex.getMessage());
    }

    private static void readAll(final byte[] bytes) throws IOException
    {
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(bytes), "bad.capture"))
        {
            while (reader.next())
            {
                reader.payload();
            }
        }
    }

    /** Counts the line feeds a plain GZIPInputStream yields before the truncated stream fails. */
    private static int completeLinesBeforeEnd(final byte[] truncatedGzip) throws IOException
    {
        int lines = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(truncatedGzip)))
        {
            int b;
            while ((b = in.read()) >= 0)
            {
                lines += b == '\n' ? 1 : 0;
            }
        }
        catch (final EOFException expected)
        {
            return lines;
        }
        throw new AssertionError("the truncated stream read to its end");
    }

    private static byte[] gzip(final byte[] bytes) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out))
        {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
