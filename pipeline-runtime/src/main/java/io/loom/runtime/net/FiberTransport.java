package io.loom.runtime.net;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connected byte stream that one fiber reads and writes as straight-line code, parking on its
 * reactor whenever the stream is not ready: a plain TCP socket or TLS over one. WebSocket and HTTP
 * are layered on it.
 *
 * <p>Not thread-safe: owned by one fiber of one reactor.
 */
public interface FiberTransport extends AutoCloseable
{
    /**
     * Reads what is available into {@code dst}, parking until at least one byte is.
     *
     * @param dst where the bytes go, from its position up to its limit.
     * @return bytes read (at least one), or -1 at the end of the stream.
     * @throws IOException          on a failed connection (typed; names the peer).
     * @throws InterruptedException if the fiber is interrupted while parked.
     */
    int read(ByteBuffer dst) throws IOException, InterruptedException;

    /**
     * Reads what is available into {@code dst}, parking at most {@code timeoutNs}.
     *
     * @param dst       where the bytes go.
     * @param timeoutNs how long to wait for the first byte, in reactor time; zero or less tries once
     *                  without waiting.
     * @return bytes read, 0 if the timeout elapsed first, or -1 at the end of the stream.
     * @throws IOException          on a failed connection.
     * @throws InterruptedException if the fiber is interrupted while parked.
     */
    int read(ByteBuffer dst, long timeoutNs) throws IOException, InterruptedException;

    /**
     * Writes all of {@code src}, parking while the connection cannot take more.
     *
     * @param src the bytes, from its position to its limit; on return it has none remaining.
     * @throws IOException          on a failed connection.
     * @throws InterruptedException if the fiber is interrupted while parked.
     */
    void writeFully(ByteBuffer src) throws IOException, InterruptedException;

    /**
     * Whether the transport is still open.
     *
     * @return false once closed by either side or failed.
     */
    boolean isOpen();

    /**
     * The peer, for error messages: {@code host:port}.
     *
     * @return a description of the remote end.
     */
    String remote();

    /** Closes the transport. Idempotent; never throws. */
    @Override
    void close();
}
