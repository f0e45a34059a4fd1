package io.loom.bench.e2e;

import java.util.List;

/**
 * One venue's endless, re-stamped market-data stream as the stamped stream server sends it: what
 * to answer when a client opens the stream, the payload of every update with its send stamp, and
 * the REST snapshot a client fetches to start its book. The server owns the transport (TLS,
 * WebSocket frame headers, pacing, HTTP); a stream only writes payloads.
 *
 * <pre>
 *   client ── upgrade ──▶ server ──[ if streamsAfterSubscribe(): waits for the client's first text message ]
 *                                ──▶ openingPayloads(subscribe) in order ──▶ encodeUpdate(0), encodeUpdate(1), … at the rate
 *   client ── GET path?query ──▶ restBody(pathAndQuery, updates sent so far) (null: 404)
 * </pre>
 *
 * <p>Binance spot depth ({@link BinanceDepthStream}) streams right after the upgrade and serves its
 * snapshot over REST; a Kraken v1 book stream waits for the subscribe event, opens with its
 * subscriptionStatus and book snapshot, and serves no REST.
 *
 * <p>Thread-safety: {@link #encodeUpdate} is called by the one sending thread of a connection;
 * {@link #openingPayloads} and {@link #restBody} by connection threads, concurrently with it, so
 * implementations keep what they share immutable.
 */
public interface StampedStream
{
    /** @return true if the server waits for the client's first text message (a subscribe) before it streams. */
    boolean streamsAfterSubscribe();

    /**
     * @param subscribe the client's first text message when {@link #streamsAfterSubscribe()}, else null:
     *                  a stream may answer from it (Kraken echoes the subscribe's {@code reqid}).
     * @return the text payloads sent once, in order, before update 0 (empty if none); do not modify.
     */
    List<byte[]> openingPayloads(String subscribe);

    /**
     * @param pathAndQuery the request target of a GET, e.g. {@code /api/v3/depth?symbol=ETHUSDT&limit=1000}.
     * @param position     updates sent on the stream so far: the snapshot must stand just before update {@code position}.
     * @return the JSON body to answer with 200, or null to answer 404.
     */
    byte[] restBody(String pathAndQuery, long position);

    /** @return the most bytes {@link #encodeUpdate} writes for any update. */
    int maxPayloadLength();

    /**
     * Writes the text payload (no WebSocket frame header) of update {@code message} carrying its
     * send stamp. Allocates nothing.
     *
     * @param dst     where to write; at least {@link #maxPayloadLength()} bytes from {@code offset}.
     * @param offset  where the payload starts.
     * @param message the update's number on this stream, from 0 (the stream loops over its recording).
     * @param stampNs the send time in ns since the harness epoch (the client's {@code System.nanoTime()}
     *                minus the epoch recovers it exactly).
     * @return the payload's length in bytes.
     */
    int encodeUpdate(byte[] dst, int offset, long message, long stampNs);
}
