package io.loom.runtime.capture;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every bundled capture loads with the record counts, time span and venue data/PROVENANCE.md gives. */
class CaptureBundledTest
{
    @ParameterizedTest
    @CsvSource({
        "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz, 1, 0, 79743, 1, 1723161254024619568, 1723161904543279633",
        "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz, 1, 0, 265, 4, 1633998511159679000, 1633998542077861800",
        "binance-usdm/ethusdt_depth0ms-trade-bookticker_2024-08-08.capture.gz, 1, 0, 74654, 1, 1723161255088156767, 1723161599881488984",
        "binance-coinm/10symbols_depth100ms-bookticker-aggtrade_2021-04-17.capture.gz, 1, 0, 9642, 10, 1618677479300887000, 1618677510408363000",
        "kraken-v1/10pairs_book1000_2021-04-17.capture.gz, 1, 1, 4321, 0, 1618678132385815100, 1618678163372861900",
        "kraken-v1/10pairs_trade_2021-04-17.capture.gz, 1, 1, 49, 0, 1618678132368463000, 1618678162660873000"
    })
    void shouldLoadBundledCaptureWithProvenanceCounts(
        final String relative,
        final int connects,
        final int sends,
        final int frames,
        final int rests,
        final long firstRecvNs,
        final long lastRecvNs) throws IOException
    {
        final Path file = TestCaptures.path(relative);
        final Capture capture = Capture.load(file);

        assertEquals(file.getParent().getFileName().toString(), capture.header().venue());
        assertEquals(connects, capture.count(CaptureRecordKind.CONNECT));
        assertEquals(sends, capture.count(CaptureRecordKind.SEND));
        assertEquals(frames, capture.count(CaptureRecordKind.WS));
        assertEquals(rests, capture.count(CaptureRecordKind.REST));
        assertEquals(0, capture.count(CaptureRecordKind.DISCONNECT));
        assertEquals(connects + sends + frames + rests, capture.size());
        assertEquals(firstRecvNs, capture.recvNs(0));
        assertEquals(lastRecvNs, capture.recvNs(capture.size() - 1));
        for (int i = 0; i < capture.size(); i++)
        {
            assertEquals(0, capture.conn(i), "conn of record " + i);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz, https://api.binance.com/api/v3/depth?symbol=ETHUSDT&limit=1000, '{\"lastUpdateId\":35346513512,'",
        "binance-usdm/ethusdt_depth0ms-trade-bookticker_2024-08-08.capture.gz, https://fapi.binance.com/fapi/v1/depth?symbol=ETHUSDT&limit=1000, '{\"lastUpdateId\":5123107856276,'"
    })
    void shouldSplitRestPayloadIntoUrlAndBody(final String relative, final String url, final String bodyStart) throws IOException
    {
        final Capture capture = Capture.load(TestCaptures.path(relative));
        final int rest = firstOfKind(capture, CaptureRecordKind.REST);

        assertEquals(url, capture.buffer().getStringWithoutLengthUtf8(capture.restUrlOffset(rest), capture.restUrlLength(rest)));
        final String body = capture.buffer().getStringWithoutLengthUtf8(capture.restBodyOffset(rest), capture.restBodyLength(rest));
        assertEquals(bodyStart, body.substring(0, bodyStart.length()));
        assertEquals(url + " " + body, capture.payloadAsString(rest));
    }

    @ParameterizedTest
    @CsvSource({"kraken-v1/10pairs_trade_2021-04-17.capture.gz"})
    void shouldRejectRestRangesOfOtherKinds(final String relative) throws IOException
    {
        final Capture capture = Capture.load(TestCaptures.path(relative));
        assertThrows(IllegalArgumentException.class, () -> capture.restBodyOffset(0));
    }

    @ParameterizedTest
    @CsvSource({"kraken-v1/10pairs_trade_2021-04-17.capture.gz"})
    void shouldStreamTheSameRecordsAsTheLoadedCapture(final String relative) throws IOException
    {
        final Path file = TestCaptures.path(relative);
        final Capture capture = Capture.load(file);
        try (CaptureReader reader = CaptureReader.open(Files.newInputStream(file), "trade"))
        {
            final int headerLines = 3 + capture.header().notes().size();
            int i = 0;
            while (reader.next())
            {
                assertEquals(headerLines + i + 1, reader.lineNumber());
                assertEquals(capture.recvNs(i), reader.recvNs());
                assertEquals(capture.kind(i), reader.kind());
                assertEquals(capture.payloadAsString(i), reader.payloadAsString());
                i++;
            }
            assertEquals(capture.size(), i);
            assertEquals(capture.header(), reader.header());
        }
    }

    static int firstOfKind(final Capture capture, final CaptureRecordKind kind)
    {
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) == kind)
            {
                return i;
            }
        }
        throw new AssertionError("no " + kind + " record");
    }
}
