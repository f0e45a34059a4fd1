package io.loom.bench.e2e;

import java.net.URI;

/**
 * What the harness needs of the in-process exchange a run streams from: where to connect and how
 * much it sent. {@link StampedDepthServer} (Binance) and {@link KrakenBookServer} (Kraken) are the
 * two.
 *
 * <p>Thread-safety: counters from any thread; {@link #close} from the harness thread.
 */
public interface LoopbackExchange extends AutoCloseable
{
    /** @return the WebSocket base, {@code wss://127.0.0.1:port} ({@code ws://} when plain). */
    URI webSocketBase();

    /** @return the REST base, {@code https://127.0.0.1:port} ({@code http://} when plain). */
    URI restBase();

    /** @return messages written to the WebSocket so far. */
    long messagesSent();

    /** @return WebSocket upgrades accepted (1 in a clean run). */
    int webSocketConnections();

    /** @return snapshots served (REST for Binance, after a subscribe for Kraken); 1 in a clean run. */
    int snapshotsServed();

    /** @return what the client did that a clean run never needs (reconnects, resubscribes), as a count of errors. */
    default long clientRetries()
    {
        return Math.max(0, webSocketConnections() - 1);
    }

    /**
     * Stops serving and ends every thread.
     *
     * @throws IllegalStateException if a thread did not end in time.
     */
    @Override
    void close();
}
