package io.loom.runtime.net.http;

import io.loom.runtime.net.http.HttpException.Reason;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one response from an {@link HttpInput}: the status line, the header fields, then the body
 * framed as RFC 9112 section 6.3 says, then the content coding.
 *
 * <pre>
 *   status line ─▶ 1xx? skip head, read the next one (101 is refused: no upgrade was asked for)
 *   header fields (obs-fold unfolded, repeated fields kept)
 *   framing: 204 / 304                            ─▶ no body
 *            Transfer-Encoding: chunked (last)    ─▶ chunks, extensions ignored, trailers consumed
 *            Content-Length (all copies equal)    ─▶ exactly that many bytes
 *            neither                              ─▶ until the peer closes (HTTP/1.0 style)
 *   Content-Encoding: gzip / x-gzip               ─▶ decoded; other codings are left as they are
 * </pre>
 *
 * <p>Not thread-safe: owned by one client.
 */
final class HttpResponseReader
{
    private static final String TOKEN_SEPARATORS = "()<>@,;:\\\"/[]?={}";
    private static final int MAX_CHUNK_SIZE_DIGITS = 16;

    private final HttpInput input;
    private final HttpBodyBuffer body;
    private final int maxHeaderBytes;
    private final List<String> fields = new ArrayList<>();

    HttpResponseReader(final HttpInput input, final int maxHeaderBytes, final int maxBodyBytes)
    {
        this.input = input;
        this.body = new HttpBodyBuffer(maxBodyBytes);
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** Reads the response to a GET on {@code uri}; the input has begun the exchange. */
    HttpResponse read(final URI uri) throws HttpException, InterruptedException
    {
        int headBytes = 0;
        String statusLine;
        int status;
        do
        {
            input.reading("the status line");
            statusLine = input.readLine(maxHeaderBytes - headBytes, Reason.HEADERS_TOO_LARGE);
            headBytes += statusLine.length() + 2;
            status = parseStatus(statusLine);
            fields.clear();
            input.reading("the header fields");
            headBytes += readFields(maxHeaderBytes - headBytes);
            if (status == 101)
            {
                throw input.fail(Reason.MALFORMED_RESPONSE, "101 Switching Protocols answers a request that asked for no upgrade");
            }
        }
        while (status < 200);
        final HttpHeaders headers = new HttpHeaders(fields);
        final boolean http11 = statusLine.charAt(7) != '0';
        boolean keepAlive = http11 ? !headers.containsToken("Connection", "close") : headers.containsToken("Connection", "keep-alive");

        body.reset();
        final List<String> transferCodings = elements(headers, "Transfer-Encoding");
        final List<String> contentLengths = elements(headers, "Content-Length");
        if (status == 204 || status == 304)
        {
            keepAlive &= transferCodings.isEmpty();
        }
        else if (!transferCodings.isEmpty())
        {
            requireChunkedOnly(transferCodings);
            keepAlive &= contentLengths.isEmpty() && http11; // both present, or chunked in HTTP/1.0: faulty framing
            readChunked();
        }
        else if (headers.first("Content-Length") != null)
        {
            final long length = contentLength(contentLengths);
            if (!body.hasRoomFor(length))
            {
                throw input.fail(Reason.BODY_TOO_LARGE,
                    "Content-Length " + length + " is larger than the limit of " + body.maxBytes() + " bytes");
            }
            input.reading("the body (" + length + " bytes by Content-Length)");
            input.readBody(body, length);
        }
        else
        {
            input.reading("the body (delimited by the end of the connection)");
            input.readBodyToEnd(body);
            keepAlive = false;
        }
        keepAlive &= input.unconsumed() == 0;
        decodeContent(uri, headers);
        final HttpResponse response = new HttpResponse(uri, statusLine.substring(0, 8), status,
            statusLine.length() > 13 ? statusLine.substring(13) : "", headers, body.array(), body.length(), keepAlive);
        body.reset(); // the response owns the array now; do not hold on to it until the next exchange
        return response;
    }

    /** {@code HTTP/1.x SP 3DIGIT [SP reason-phrase]}; returns the status code. */
    private int parseStatus(final String line) throws HttpException
    {
        final boolean wellFormed = line.length() >= 12 && line.startsWith("HTTP/1.") && isDigit(line.charAt(7)) &&
            line.charAt(8) == ' ' && line.charAt(9) >= '1' && line.charAt(9) <= '9' &&
            isDigit(line.charAt(10)) && isDigit(line.charAt(11)) && (line.length() == 12 || line.charAt(12) == ' ') &&
            isFieldText(line);
        if (!wellFormed)
        {
            throw input.fail(Reason.MALFORMED_RESPONSE, "bad status line '" + printable(line) + "'");
        }
        return Integer.parseInt(line, 9, 12, 10);
    }

    /** Reads header fields (or trailers) up to the blank line into {@link #fields}; returns bytes taken. */
    private int readFields(final int maxBytes) throws HttpException, InterruptedException
    {
        int taken = 0;
        while (true)
        {
            final String line = input.readLine(maxBytes - taken, Reason.HEADERS_TOO_LARGE);
            taken += line.length() + 2;
            if (line.isEmpty())
            {
                return taken;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t')
            {
                if (fields.isEmpty())
                {
                    throw input.fail(Reason.MALFORMED_RESPONSE, "whitespace before the first header field: '" + printable(line) + "'");
                }
                final int last = fields.size() - 1;
                fields.set(last, fields.get(last) + ' ' + trimOws(line)); // obs-fold: RFC 9112 says replace with SP
                continue;
            }
            final int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line, colon) || !isFieldText(line))
            {
                throw input.fail(Reason.MALFORMED_RESPONSE, "bad header field line '" + printable(line) + "'");
            }
            fields.add(line.substring(0, colon));
            fields.add(trimOws(line.substring(colon + 1)));
        }
    }

    private void readChunked() throws HttpException, InterruptedException
    {
        while (true)
        {
            input.reading("a chunk size line");
            final String sizeLine = input.readLine(maxHeaderBytes, Reason.MALFORMED_RESPONSE);
            final long size = chunkSize(sizeLine);
            if (size == 0)
            {
                input.reading("the trailer fields");
                final int keep = fields.size();
                readFields(maxHeaderBytes); // trailers are consumed and dropped
                fields.subList(keep, fields.size()).clear();
                return;
            }
            if (!body.hasRoomFor(size))
            {
                throw input.bodyTooLarge(body);
            }
            input.reading("a chunk");
            input.readBody(body, size);
            input.reading("the line break after a chunk");
            if (!input.readLine(2, Reason.MALFORMED_RESPONSE).isEmpty())
            {
                throw input.fail(Reason.MALFORMED_RESPONSE, "chunk data of " + size + " bytes is not followed by CRLF");
            }
        }
    }

    /** {@code 1*HEXDIG [BWS ";" chunk-ext]}; the extensions are ignored. */
    private long chunkSize(final String line) throws HttpException
    {
        int end = 0;
        long size = 0;
        while (end < line.length() && Character.digit(line.charAt(end), 16) >= 0 && line.charAt(end) < 128)
        {
            size = size << 4 | Character.digit(line.charAt(end), 16);
            end++;
        }
        int rest = end;
        while (rest < line.length() && (line.charAt(rest) == ' ' || line.charAt(rest) == '\t'))
        {
            rest++;
        }
        if (end == 0 || end > MAX_CHUNK_SIZE_DIGITS || size < 0 ||
            (rest < line.length() && line.charAt(rest) != ';') || !isFieldText(line))
        {
            throw input.fail(Reason.MALFORMED_RESPONSE, "bad chunk size line '" + printable(line) + "'");
        }
        return size;
    }

    private void requireChunkedOnly(final List<String> codings) throws HttpException
    {
        for (int i = 0; i < codings.size(); i++)
        {
            final boolean last = i == codings.size() - 1;
            if (!codings.get(i).equals("chunked") || !last)
            {
                throw input.fail(Reason.MALFORMED_RESPONSE, "unsupported Transfer-Encoding " + codings +
                    " (the request offered none but chunked, which must come last and once)");
            }
        }
    }

    private long contentLength(final List<String> values) throws HttpException
    {
        final String first = values.isEmpty() ? "" : values.get(0);
        if (first.isEmpty())
        {
            throw input.fail(Reason.MALFORMED_RESPONSE, "empty Content-Length");
        }
        for (final String value : values)
        {
            if (!value.equals(first) || !allDigits(value))
            {
                throw input.fail(Reason.MALFORMED_RESPONSE, "bad Content-Length " + values);
            }
        }
        return first.length() > 18 ? Long.MAX_VALUE : Long.parseLong(first);
    }

    /** Decodes gzip content codings; any other coding leaves the body as received. */
    private void decodeContent(final URI uri, final HttpHeaders headers) throws HttpException
    {
        final List<String> codings = elements(headers, "Content-Encoding");
        codings.removeIf("identity"::equals);
        if (codings.isEmpty() || body.length() == 0)
        {
            return;
        }
        for (final String coding : codings)
        {
            if (!coding.equals("gzip") && !coding.equals("x-gzip"))
            {
                return;
            }
        }
        input.reading("the gzip body");
        for (int i = 0; i < codings.size(); i++)
        {
            HttpGzipDecoder.decode(uri, body);
        }
    }

    /** The comma-separated elements of every field named {@code name}, trimmed and lower-cased. */
    private static List<String> elements(final HttpHeaders headers, final String name)
    {
        final List<String> elements = new ArrayList<>(2);
        for (final String value : headers.all(name))
        {
            for (final String element : value.split(",", -1))
            {
                final String trimmed = trimOws(element);
                if (!trimmed.isEmpty())
                {
                    elements.add(trimmed.toLowerCase(Locale.ROOT));
                }
            }
        }
        return elements;
    }

    private static boolean isToken(final String line, final int end)
    {
        for (int i = 0; i < end; i++)
        {
            final char c = line.charAt(i);
            if (c <= ' ' || c >= 127 || TOKEN_SEPARATORS.indexOf(c) >= 0)
            {
                return false;
            }
        }
        return true;
    }

    /** No NUL, CR or other control except tab (a bare CR inside a line could split it downstream). */
    private static boolean isFieldText(final String line)
    {
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if ((c < ' ' && c != '\t') || c == 127)
            {
                return false;
            }
        }
        return true;
    }

    private static String trimOws(final String value)
    {
        int from = 0;
        int to = value.length();
        while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t'))
        {
            from++;
        }
        while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t'))
        {
            to--;
        }
        return value.substring(from, to);
    }

    private static boolean allDigits(final String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            if (!isDigit(value.charAt(i)))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }

    /** At most 120 characters of {@code line}, controls escaped, for error messages. */
    private static String printable(final String line)
    {
        final StringBuilder text = new StringBuilder(Math.min(line.length(), 120) + 8);
        for (int i = 0; i < line.length() && i < 120; i++)
        {
            final char c = line.charAt(i);
            if (c < ' ' || c >= 127)
            {
                text.append(String.format("\\x%02X", (int)c));
            }
            else
            {
                text.append(c);
            }
        }
        return line.length() > 120 ? text.append("…").toString() : text.toString();
    }
}
