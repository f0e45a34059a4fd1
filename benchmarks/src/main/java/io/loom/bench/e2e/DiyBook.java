package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;

/**
 * The venue's part of baseline (a) ({@link DiySystem}): where to connect, what to say once
 * connected, how to start the book, and how to apply one message parsed by Jackson to a
 * {@code TreeMap<BigDecimal, BigDecimal>} book.
 *
 * <p>Thread-safety: {@link #webSocketUri} and {@link #onOpen} on the harness thread before the
 * consumer starts; {@link #synchronise} and {@link #apply} on the consumer thread; {@link #errors}
 * from any thread.
 */
interface DiyBook
{
    /** What {@link #apply} returns for a message that applied no diff (status, heartbeat, snapshot, stale book). */
    long NOT_APPLIED = -1;

    /**
     * @param webSocketBase the server's {@code wss://host:port}.
     * @return the stream's URI.
     */
    URI webSocketUri(URI webSocketBase);

    /**
     * Called once the WebSocket is open: Kraken subscribes here; Binance's stream is in the URI.
     *
     * @param socket the open WebSocket.
     * @throws Exception if what it sends does not go out.
     */
    void onOpen(WebSocket socket) throws Exception;

    /**
     * Called on the consumer thread before the first message: Binance fetches its REST snapshot here.
     *
     * @param client   the client to fetch with.
     * @param restBase the server's {@code https://host:port}.
     * @throws Exception if the snapshot cannot be had.
     */
    void synchronise(HttpClient client, URI restBase) throws Exception;

    /**
     * @param message one WebSocket message, parsed.
     * @return the send stamp (ns since the harness epoch) of the diff it applied, or {@link #NOT_APPLIED}.
     */
    long apply(JsonNode message);

    /** @return gaps, checksum failures and bad messages seen. */
    long errors();
}
