package io.loom.runtime.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reader → writer reproduces the capture text byte for byte; the writer refuses what the format forbids. */
class CaptureRoundTripTest
{
    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {
        "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz",
        "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz",
        "binance-usdm/ethusdt_depth0ms-trade-bookticker_2024-08-08.capture.gz",
        "binance-coinm/10symbols_depth100ms-bookticker-aggtrade_2021-04-17.capture.gz",
        "kraken-v1/10pairs_book1000_2021-04-17.capture.gz",
        "kraken-v1/10pairs_trade_2021-04-17.capture.gz"
    })
    void shouldRoundTripBundledCaptureByteIdentically(final String relative) throws IOException
    {
        final Path original = TestCaptures.path(relative);
        final Path copy = directory.resolve("copy.capture.gz");
        int records = 0;
        try (CaptureReader reader = CaptureReader.open(original);
             CaptureWriter writer = CaptureWriter.create(copy, reader.header()))
        {
            while (reader.next())
            {
                writer.write(reader.recvNs(), reader.conn(), reader.kind(), reader.payload(), 0, reader.payload().capacity());
                records++;
            }
        }

        assertArrayEquals(gunzip(original), gunzip(copy), "decompressed text of " + relative);
        assertEquals(Capture.load(original).size(), records);
    }

    @Test
    void shouldWritePlainTextWhenNameDoesNotEndWithGz() throws IOException
    {
        final Path plain = directory.resolve("small.capture");
        try (CaptureWriter writer = CaptureWriter.create(plain, CaptureHeader.of("kraken-v1", "test", "one", "two")))
        {
            writer.write(5, 0, CaptureRecordKind.CONNECT, "wss://ws.kraken.com");
            writer.write(5, 0, CaptureRecordKind.WS, "{\"event\":\"heartbeat\"}");
            writer.write(7, 1, CaptureRecordKind.REST, "https://x/y {}");
            writer.write(9, 0, CaptureRecordKind.DISCONNECT, "-");
        }

        assertEquals("""
            #loom-capture 1
            #venue kraken-v1
            #source test
            #note one
            #note two
            5\t0\tCONNECT\twss://ws.kraken.com
            5\t0\tWS\t{"event":"heartbeat"}
            7\t1\tREST\thttps://x/y {}
            9\t0\tDISCONNECT\t-
            """, Files.readString(plain));
        final Capture capture = Capture.load(plain);
        assertEquals(4, capture.size());
        assertEquals("{}", capture.buffer().getStringWithoutLengthUtf8(capture.restBodyOffset(2), capture.restBodyLength(2)));
    }

    @Test
    void shouldRejectPayloadWithTabCarriageReturnOrLineFeed() throws IOException
    {
        try (CaptureWriter writer = CaptureWriter.create(directory.resolve("bad.capture"), CaptureHeader.of("bitmex", "test")))
        {
            writer.write(1, 0, CaptureRecordKind.WS, "ok");
            for (final String payload : new String[]{"a\tb", "a\rb", "a\nb"})
            {
                final CaptureFormatException ex = assertThrows(CaptureFormatException.class,
                    () -> writer.write(2, 0, CaptureRecordKind.WS, payload));
                assertEquals(CaptureFormatException.Reason.BAD_PAYLOAD, ex.reason());
                assertEquals(5, ex.lineNumber());
            }
            final CaptureFormatException rest = assertThrows(CaptureFormatException.class,
                () -> writer.write(2, 0, CaptureRecordKind.REST, "no-body-separator"));
            assertEquals(CaptureFormatException.Reason.BAD_PAYLOAD, rest.reason());
        }
    }

    @Test
    void shouldRejectDecreasingReceiveTime() throws IOException
    {
        try (CaptureWriter writer = CaptureWriter.create(directory.resolve("time.capture"), CaptureHeader.of("bitmex", "test")))
        {
            writer.write(10, 0, CaptureRecordKind.WS, "a");
            final CaptureFormatException ex = assertThrows(CaptureFormatException.class,
                () -> writer.write(9, 0, CaptureRecordKind.WS, "b"));
            assertEquals(CaptureFormatException.Reason.TIME_DECREASING, ex.reason());
            assertEquals(5, ex.lineNumber());
            writer.write(10, 0, CaptureRecordKind.WS, "c");
        }
        assertEquals(2, Capture.load(directory.resolve("time.capture")).size());
    }

    @Test
    void shouldRejectUnknownVenueInHeader()
    {
        assertThrows(IllegalArgumentException.class, () -> CaptureHeader.of("kraken", "test"));
        assertThrows(IllegalArgumentException.class, () -> CaptureHeader.of("kraken-v1", "two\nlines"));
    }

    private static byte[] gunzip(final Path file) throws IOException
    {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file)))
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
