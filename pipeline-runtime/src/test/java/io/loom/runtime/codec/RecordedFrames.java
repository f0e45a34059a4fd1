package io.loom.runtime.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Real exchange messages for the codec tests, read from the bundled captures in
 * {@code data/captures} (format: {@code data/FORMAT.md}), byte for byte.
 */
final class RecordedFrames
{
    /** Every bundled capture, relative to {@code data/captures}. */
    static final String[] CAPTURES = {
        "binance-coinm/10symbols_depth100ms-bookticker-aggtrade_2021-04-17.capture.gz",
        "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz",
        "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz",
        "binance-usdm/ethusdt_depth0ms-trade-bookticker_2024-08-08.capture.gz",
        "kraken-v1/10pairs_book1000_2021-04-17.capture.gz",
        "kraken-v1/10pairs_trade_2021-04-17.capture.gz",
    };

    private RecordedFrames()
    {
    }

    /**
     * The first messages of a capture: inbound WebSocket frames and REST bodies, in recorded order.
     *
     * @param capture path under {@code data/captures}.
     * @param limit   at most this many.
     * @return the messages' bytes.
     */
    static List<byte[]> messages(final String capture, final int limit) throws IOException
    {
        final List<byte[]> messages = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(capturesDirectory().resolve(capture))), StandardCharsets.ISO_8859_1)))
        {
            for (String line = reader.readLine(); line != null && messages.size() < limit; line = reader.readLine())
            {
                final String[] fields = line.split("\t", 4);
                if (fields.length == 4 && fields[2].equals("WS"))
                {
                    messages.add(fields[3].getBytes(StandardCharsets.ISO_8859_1));
                }
                else if (fields.length == 4 && fields[2].equals("REST"))
                {
                    messages.add(fields[3].substring(fields[3].indexOf(' ') + 1).getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        }
        if (messages.isEmpty())
        {
            throw new IllegalStateException("no messages in " + capture);
        }
        return messages;
    }

    /**
     * The first message of a capture that contains a marker.
     *
     * @param capture path under {@code data/captures}.
     * @param marker  ASCII text the message must contain.
     * @return the message's bytes.
     */
    static byte[] first(final String capture, final String marker) throws IOException
    {
        for (final byte[] message : messages(capture, Integer.MAX_VALUE))
        {
            if (new String(message, StandardCharsets.ISO_8859_1).contains(marker))
            {
                return message;
            }
        }
        throw new IllegalStateException("no message with " + marker + " in " + capture);
    }

    private static Path capturesDirectory()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path captures = dir.resolve("data").resolve("captures");
            if (Files.isDirectory(captures))
            {
                return captures;
            }
        }
        throw new IllegalStateException("data/captures not found above " + Path.of("").toAbsolutePath());
    }
}
