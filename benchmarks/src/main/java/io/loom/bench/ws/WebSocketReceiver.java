package io.loom.bench.ws;

/**
 * One WebSocket client under test, connected to a {@link FramePushServer} and counting the
 * messages it decodes into a {@link ReceiveCounter}.
 *
 * <p>Thread-safety: started and closed by the benchmark thread; counts on the client's own thread.
 */
interface WebSocketReceiver extends AutoCloseable
{
    /** @return the counter the client feeds. */
    ReceiveCounter counter();
}
