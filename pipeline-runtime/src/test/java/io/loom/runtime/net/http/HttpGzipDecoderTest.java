package io.loom.runtime.net.http;

import io.loom.runtime.net.http.HttpException.Reason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HttpGzipDecoder} checks every part of RFC 1952 and bounds the decoded size. */
class HttpGzipDecoderTest
{
    private static final URI URI_ = URI.create("http://127.0.0.1:1/depth");
    private static final byte[] TEXT = "{\"lastUpdateId\":1027024,\"bids\":[[\"4.00000000\",\"431.00000000\"]]}"
        .repeat(50).getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldDecodeWhatGzipOutputStreamWrites() throws Exception
    {
        assertArrayEquals(TEXT, decode(gzip(TEXT), 1 << 20));
    }

    @Test
    void shouldDecodeConcatenatedMembers() throws Exception
    {
        final byte[] first = Arrays.copyOf(TEXT, 1000);
        final byte[] second = Arrays.copyOfRange(TEXT, 1000, TEXT.length);
        assertArrayEquals(TEXT, decode(concat(gzip(first), gzip(second)), 1 << 20));
    }

    @Test
    void shouldSkipOptionalHeaderFieldsAndCheckTheHeaderCrc() throws Exception
    {
        assertArrayEquals(TEXT, decode(gzipWithAllHeaderFields(TEXT, false), 1 << 20));
        final HttpException ex = assertThrows(HttpException.class, () -> decode(gzipWithAllHeaderFields(TEXT, true), 1 << 20));
        assertEquals(Reason.BAD_GZIP, ex.reason());
        assertTrue(ex.getMessage().contains("header CRC"), ex.getMessage());
    }

    @Test
    void shouldRejectACrcMismatch() throws Exception
    {
        final byte[] gzip = gzip(TEXT);
        gzip[gzip.length - 8] ^= 1;
        assertBad(gzip, "CRC-32");
    }

    @Test
    void shouldRejectALengthMismatch() throws Exception
    {
        final byte[] gzip = gzip(TEXT);
        gzip[gzip.length - 4] ^= 1;
        assertBad(gzip, "length trailer");
    }

    @Test
    void shouldRejectTruncatedData() throws Exception
    {
        final byte[] gzip = gzip(TEXT);
        assertBad(Arrays.copyOf(gzip, gzip.length - 4), "truncated inside its trailer");
        assertBad(Arrays.copyOf(gzip, gzip.length / 2), "truncated inside its deflate data");
        assertBad(Arrays.copyOf(gzip, 6), "shorter than a gzip header");
    }

    @Test
    void shouldRejectBytesAfterTheLastMember() throws Exception
    {
        assertBad(concat(gzip(TEXT), new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), "trailing bytes");
        assertBad(concat(gzip(TEXT), new byte[]{'x'}), "trailing bytes");
    }

    @Test
    void shouldRejectABadMagicMethodOrFlags() throws Exception
    {
        assertBad(TEXT, "magic number");
        final byte[] method = gzip(TEXT);
        method[2] = 7;
        assertBad(method, "method");
        final byte[] flags = gzip(TEXT);
        flags[3] = (byte)0x80;
        assertBad(flags, "reserved flag");
    }

    @Test
    void shouldRejectCorruptDeflateData() throws Exception
    {
        final byte[] gzip = gzip(TEXT);
        gzip[10] = (byte)0xFF; // block type 3 is reserved
        assertBad(gzip, "deflate");
    }

    @Test
    void shouldFailWithBodyTooLargeWhenDecodingExceedsTheLimit() throws Exception
    {
        final byte[] bomb = gzip(new byte[1 << 20]);
        assertTrue(bomb.length < 2048, "a megabyte of zeros compresses to about a kilobyte");
        final HttpException ex = assertThrows(HttpException.class, () -> decode(bomb, 64 << 10));
        assertEquals(Reason.BODY_TOO_LARGE, ex.reason());
        assertEquals(1 << 20, decode(bomb, 1 << 20).length, "exactly at the limit is accepted");
    }

    private static void assertBad(final byte[] gzip, final String detail)
    {
        final HttpException ex = assertThrows(HttpException.class, () -> decode(gzip, 1 << 20));
        assertEquals(Reason.BAD_GZIP, ex.reason());
        assertTrue(ex.getMessage().contains(detail), ex.getMessage());
        assertTrue(ex.getMessage().contains(URI_.toString()), ex.getMessage());
    }

    private static byte[] decode(final byte[] gzip, final int maxBytes) throws HttpException
    {
        final HttpBodyBuffer body = new HttpBodyBuffer(maxBytes);
        body.reset();
        final HttpBodyBuffer source = new HttpBodyBuffer(Integer.MAX_VALUE);
        source.append(ByteBuffer.wrap(gzip), 0, gzip.length);
        body.replace(source.array(), source.length());
        HttpGzipDecoder.decode(URI_, body);
        return Arrays.copyOf(body.array(), body.length());
    }

    static byte[] gzip(final byte[] data) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes))
        {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    /** A member with FEXTRA, FNAME, FCOMMENT and FHCRC set, written by hand. */
    private static byte[] gzipWithAllHeaderFields(final byte[] data, final boolean corruptHeaderCrc)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{0x1F, (byte)0x8B, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
        out.writeBytes(new byte[]{4, 0, 'A', 'B', 1, 2});
        out.writeBytes("depth.json\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        final CRC32 headerCrc = new CRC32();
        headerCrc.update(out.toByteArray());
        final int crc16 = (int)headerCrc.getValue() & 0xFFFF ^ (corruptHeaderCrc ? 1 : 0);
        out.writeBytes(new byte[]{(byte)crc16, (byte)(crc16 >>> 8)});
        final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        final byte[] buffer = new byte[data.length + 64];
        out.write(buffer, 0, deflater.deflate(buffer));
        deflater.end();
        final CRC32 crc = new CRC32();
        crc.update(data);
        writeIntLe(out, (int)crc.getValue());
        writeIntLe(out, data.length);
        return out.toByteArray();
    }

    private static void writeIntLe(final ByteArrayOutputStream out, final int value)
    {
        out.writeBytes(new byte[]{(byte)value, (byte)(value >>> 8), (byte)(value >>> 16), (byte)(value >>> 24)});
    }

    static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
