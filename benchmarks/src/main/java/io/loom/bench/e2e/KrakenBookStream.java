package io.loom.bench.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Kraken v1 book stream of the stamped stream server: a {@link KrakenBookLoop} on one channel.
 * The server waits for the client's subscribe; this answers it as Kraken does, with
 * subscriptionStatus (echoing the request's {@code reqid}: XChange routes the channel by it) and
 * the book snapshot, then every update carries the send stamp in its level times
 * ({@link KrakenLevelTime}). Kraken v1 has no REST.
 *
 * <pre>
 *   client: {"event":"subscribe","pair":["XMR/USD"],"subscription":{"name":"book","depth":1000}(,"reqid":n)}
 *   server: {("reqid":n,)"channelID":992,…,"event":"subscriptionStatus",…}, [992,{"as":[…],"bs":[…]},"book-1000","XMR/USD"],
 *           then update m % size() at the rate, every level time = the stamp
 * </pre>
 *
 * <p>Thread-safety: immutable; {@link #encodeUpdate} writes only to its {@code dst}.
 */
public final class KrakenBookStream implements StampedStream
{
    /** The channel id the subscription gets (Kraken's for XMR/USD in the recording). */
    static final int CHANNEL_ID = 992;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KrakenBookLoop loop;
    private final byte[] snapshot;

    /** @param loop what to stream. */
    public KrakenBookStream(final KrakenBookLoop loop)
    {
        this.loop = loop;
        this.snapshot = loop.snapshotPayload(CHANNEL_ID);
    }

    /** @return true: Kraken streams a book once it is subscribed. */
    @Override
    public boolean streamsAfterSubscribe()
    {
        return true;
    }

    /**
     * @param subscribe the client's subscribe.
     * @return subscriptionStatus, then the snapshot.
     * @throws IllegalArgumentException if the message is not a subscribe to this loop's pair and depth
     *                                  (the server then ends the connection, which the harness sees).
     */
    @Override
    public List<byte[]> openingPayloads(final String subscribe)
    {
        final JsonNode request;
        try
        {
            request = JSON.readTree(subscribe == null ? "" : subscribe);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException("not a Kraken subscribe: " + subscribe, ex);
        }
        final JsonNode pairs = request.path("pair");
        final JsonNode subscription = request.path("subscription");
        if (!request.path("event").asText().equals("subscribe") || pairs.size() != 1 || !pairs.get(0).asText().equals(loop.pair()) ||
            !subscription.path("name").asText().equals("book") || subscription.path("depth").asInt(10) != loop.depth())
        {
            throw new IllegalArgumentException("this stream serves only " + loop.pair() + " book-" + loop.depth() + ", not " + subscribe);
        }
        final byte[] status = loop.subscriptionStatusPayload(CHANNEL_ID);
        if (!request.has("reqid"))
        {
            return List.of(status, snapshot);
        }
        final String withReqid = "{\"reqid\":" + request.path("reqid").asLong() + "," + new String(status, 1, status.length - 1, StandardCharsets.US_ASCII);
        return List.of(withReqid.getBytes(StandardCharsets.US_ASCII), snapshot);
    }

    /** @return null: Kraken v1 has no REST, every request is answered 404. */
    @Override
    public byte[] restBody(final String pathAndQuery, final long position)
    {
        return null;
    }

    @Override
    public int maxPayloadLength()
    {
        return loop.maxPayloadLength();
    }

    @Override
    public int encodeUpdate(final byte[] dst, final int offset, final long message, final long stampNs)
    {
        return loop.encodeUpdate(dst, offset, message, stampNs, CHANNEL_ID);
    }
}
