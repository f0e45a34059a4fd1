package io.loom.runtime.net.http;

import io.loom.runtime.net.http.HttpException.Reason;

import java.net.URI;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a {@code Content-Encoding: gzip} body (RFC 1952) with {@link Inflater}, strictly: every
 * member's header (magic, method, reserved flags, optional extra/name/comment/header CRC), its
 * deflate data, and its trailer (CRC-32 and length modulo 2^32) are checked, and bytes after the
 * last member are an error. Members may be concatenated. The decoded size is bounded by the body
 * limit while inflating, so a small "gzip bomb" fails with {@link Reason#BODY_TOO_LARGE} instead
 * of filling the heap.
 *
 * <p>{@link java.util.zip.GZIPInputStream} is not used: it tolerates garbage after the last
 * member and cannot bound the output without an extra copying stream.
 *
 * <p>Thread-safety: stateless; each call uses its own inflater and ends it.
 */
final class HttpGzipDecoder
{
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int RESERVED_FLAGS = 0xE0;
    private static final int HEADER_LENGTH = 10;
    private static final int TRAILER_LENGTH = 8;

    private HttpGzipDecoder()
    {
    }

    /**
     * Replaces the gzip content of {@code body} with its decoded bytes.
     *
     * @throws HttpException {@link Reason#BAD_GZIP} naming the defect, or {@link Reason#BODY_TOO_LARGE}.
     */
    static void decode(final URI uri, final HttpBodyBuffer body) throws HttpException
    {
        final byte[] src = body.array();
        final int srcLength = body.length();
        final int maxBytes = body.maxBytes();
        byte[] out = new byte[(int)Math.min(maxBytes, Math.max(1024L, 4L * srcLength))];
        int outLength = 0;
        int offset = 0;
        final Inflater inflater = new Inflater(true);
        final CRC32 crc = new CRC32();
        try
        {
            do
            {
                offset = skipHeader(uri, src, offset, srcLength, crc);
                inflater.reset();
                inflater.setInput(src, offset, srcLength - offset);
                final int memberStart = outLength;
                while (!inflater.finished())
                {
                    if (outLength == out.length)
                    {
                        if (out.length < maxBytes)
                        {
                            out = Arrays.copyOf(out, (int)Math.min(maxBytes, 2L * out.length));
                        }
                        else if (inflater.inflate(new byte[1]) > 0)
                        {
                            throw new HttpException(uri, Reason.BODY_TOO_LARGE,
                                "gzip body decodes to more than the limit of " + maxBytes + " bytes", null);
                        }
                        else if (!inflater.finished())
                        {
                            throw stalled(uri, inflater);
                        }
                        continue;
                    }
                    outLength += inflater.inflate(out, outLength, out.length - outLength);
                    if (outLength < out.length && !inflater.finished())
                    {
                        throw stalled(uri, inflater); // zlib stops short of a full output only without input
                    }
                }
                offset = srcLength - inflater.getRemaining();
                offset = checkTrailer(uri, src, offset, srcLength, out, memberStart, outLength, crc);
            }
            while (offset < srcLength);
        }
        catch (final DataFormatException ex)
        {
            throw new HttpException(uri, Reason.BAD_GZIP, "invalid deflate data (" + ex.getMessage() + ")", ex);
        }
        finally
        {
            inflater.end();
        }
        body.replace(out, outLength);
    }

    /** Checks one member header from {@code offset}; returns where its deflate data starts. */
    private static int skipHeader(final URI uri, final byte[] src, final int offset, final int length, final CRC32 crc)
        throws HttpException
    {
        if (length - offset < HEADER_LENGTH)
        {
            throw bad(uri, offset == 0 ? "body is shorter than a gzip header" : "trailing bytes after the last gzip member");
        }
        if ((src[offset] & 0xFF) != 0x1F || (src[offset + 1] & 0xFF) != 0x8B)
        {
            throw bad(uri, offset == 0 ? "body does not start with the gzip magic number" :
                "trailing bytes after the last gzip member");
        }
        if (src[offset + 2] != 8)
        {
            throw bad(uri, "gzip compression method " + src[offset + 2] + " is not deflate (8)");
        }
        final int flags = src[offset + 3] & 0xFF;
        if ((flags & RESERVED_FLAGS) != 0)
        {
            throw bad(uri, "gzip header has reserved flag bits set: 0x" + Integer.toHexString(flags));
        }
        int position = offset + HEADER_LENGTH;
        if ((flags & FEXTRA) != 0)
        {
            requireBytes(uri, position, 2, length);
            position += 2 + ((src[position] & 0xFF) | (src[position + 1] & 0xFF) << 8);
        }
        if ((flags & FNAME) != 0)
        {
            position = skipZeroTerminated(uri, src, position, length);
        }
        if ((flags & FCOMMENT) != 0)
        {
            position = skipZeroTerminated(uri, src, position, length);
        }
        if ((flags & FHCRC) != 0)
        {
            requireBytes(uri, position, 2, length);
            crc.reset();
            crc.update(src, offset, position - offset);
            final int expected = (src[position] & 0xFF) | (src[position + 1] & 0xFF) << 8;
            if (((int)crc.getValue() & 0xFFFF) != expected)
            {
                throw bad(uri, "gzip header CRC does not match");
            }
            position += 2;
        }
        requireBytes(uri, position, 0, length);
        return position;
    }

    /** Checks the CRC-32 and length trailer of the member decoded into {@code out[from, to)}. */
    private static int checkTrailer(
        final URI uri, final byte[] src, final int offset, final int length,
        final byte[] out, final int from, final int to, final CRC32 crc) throws HttpException
    {
        if (length - offset < TRAILER_LENGTH)
        {
            throw bad(uri, "gzip body is truncated inside its trailer");
        }
        crc.reset();
        crc.update(out, from, to - from);
        if ((int)crc.getValue() != littleEndianInt(src, offset))
        {
            throw bad(uri, "gzip CRC-32 does not match the decoded data");
        }
        if (to - from != littleEndianInt(src, offset + 4))
        {
            throw bad(uri, "gzip length trailer says " + Integer.toUnsignedString(littleEndianInt(src, offset + 4)) +
                " bytes but " + (to - from) + " were decoded");
        }
        return offset + TRAILER_LENGTH;
    }

    private static int skipZeroTerminated(final URI uri, final byte[] src, final int from, final int length)
        throws HttpException
    {
        for (int i = from; i < length; i++)
        {
            if (src[i] == 0)
            {
                return i + 1;
            }
        }
        throw bad(uri, "gzip header is truncated inside its file name or comment");
    }

    private static void requireBytes(final URI uri, final int position, final int count, final int length)
        throws HttpException
    {
        if (position + count > length)
        {
            throw bad(uri, "gzip header is truncated");
        }
    }

    private static int littleEndianInt(final byte[] src, final int offset)
    {
        return (src[offset] & 0xFF) | (src[offset + 1] & 0xFF) << 8 | (src[offset + 2] & 0xFF) << 16 | (src[offset + 3] & 0xFF) << 24;
    }

    /** Inflating made no progress before the end of the deflate stream. */
    private static HttpException stalled(final URI uri, final Inflater inflater)
    {
        return bad(uri, inflater.needsDictionary() ? "deflate stream needs a preset dictionary" :
            "gzip body is truncated inside its deflate data");
    }

    private static HttpException bad(final URI uri, final String detail)
    {
        return new HttpException(uri, Reason.BAD_GZIP, detail, null);
    }
}
