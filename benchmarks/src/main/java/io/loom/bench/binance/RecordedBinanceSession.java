package io.loom.bench.binance;

import io.loom.connectors.binance.BinanceFeed;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The recorded Binance spot ETHUSDT session (2024-08-08, {@code data/captures}, found from the
 * working directory upwards), loaded once: its depthUpdate frames in order, and the records a feed
 * needs to sync its book from them (the CONNECT, the depth frames and the REST snapshot, in
 * receive order).
 *
 * <p>Thread-safety: immutable after {@link #load()}.
 */
public final class RecordedBinanceSession
{
    static final String CAPTURE = "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz";

    /** The whole capture. */
    public final Capture capture;
    /** Record indexes of the depthUpdate frames, in order. */
    public final int[] depthFrames;
    /** Record indexes of CONNECT, depthUpdate frames and REST snapshots, in order. */
    public final int[] bookRecords;

    private RecordedBinanceSession(final Capture capture, final int[] depthFrames, final int[] bookRecords)
    {
        this.capture = capture;
        this.depthFrames = depthFrames;
        this.bookRecords = bookRecords;
    }

    /** @return the session, loaded from the bundled capture. */
    public static RecordedBinanceSession load()
    {
        final Capture capture;
        try
        {
            capture = Capture.load(capturesDirectory().resolve(CAPTURE));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final List<Integer> depth = new ArrayList<>();
        final List<Integer> book = new ArrayList<>();
        for (int i = 0; i < capture.size(); i++)
        {
            final CaptureRecordKind kind = capture.kind(i);
            if (kind == CaptureRecordKind.WS && capture.payloadAsString(i).contains("\"e\":\"depthUpdate\""))
            {
                depth.add(i);
                book.add(i);
            }
            else if (kind == CaptureRecordKind.CONNECT || kind == CaptureRecordKind.REST)
            {
                book.add(i);
            }
        }
        return new RecordedBinanceSession(capture, depth.stream().mapToInt(Integer::intValue).toArray(), book.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Hands one record of the session to {@code feed} as its connection would: a connect, a REST
     * snapshot, or a frame.
     *
     * @param feed   the feed.
     * @param record the record's index in {@link #capture}.
     * @throws InterruptedException if the feed's publisher is interrupted while it waits.
     */
    public void feed(final BinanceFeed feed, final int record) throws InterruptedException
    {
        final long recvNs = capture.recvNs(record);
        switch (capture.kind(record))
        {
            case CONNECT -> feed.onConnected(recvNs);
            case REST -> feed.onRestResponse(capture.buffer(), capture.restUrlOffset(record), capture.restUrlLength(record),
                capture.restBodyOffset(record), capture.restBodyLength(record), recvNs);
            default -> feed.onFrame(capture.buffer(), capture.payloadOffset(record), capture.payloadLength(record), recvNs);
        }
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
        throw new IllegalStateException("data/captures not found above " + Path.of("").toAbsolutePath() + ": run from the repository");
    }
}
