package io.loom.bench.e2e;

import java.net.URI;

/**
 * One system the end-to-end harness measures: a client that connects to the
 * {@link StampedStreamServer}, keeps a Binance order book from its snapshot and diffs, and calls
 * {@link LatencyRecorder#onApplied} once per diff applied to that book.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} from the harness thread; the recorder is
 * called on the system's own consumer thread.
 */
public interface SystemUnderTest extends AutoCloseable
{
    /** @return the name in the results ("loom", "diy", "xchange"). */
    String name();

    /**
     * Connects and starts consuming; returns once started (the book may not be synchronised yet).
     *
     * @param webSocketBase the server's {@code wss://host:port}.
     * @param restBase      the server's {@code https://host:port}.
     * @param recorder      where applied diffs go.
     * @throws Exception if the system cannot start.
     */
    void start(URI webSocketBase, URI restBase, LatencyRecorder recorder) throws Exception;

    /** @return problems seen (resyncs, decode errors, gaps), 0 in a clean run. */
    long errors();

    /**
     * Disconnects and ends every thread the system started.
     *
     * @throws IllegalStateException if a thread did not end in time (or the wait was interrupted).
     */
    @Override
    void close();
}
