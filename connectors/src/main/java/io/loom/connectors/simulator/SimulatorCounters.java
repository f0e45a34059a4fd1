package io.loom.connectors.simulator;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an {@link ExchangeSimulator} served and which faults it applied. Connections are numbered
 * from 0 in the order their WebSocket handshakes completed.
 *
 * <p>Thread-safety: thread-safe; written by the event loop, read from any thread.
 */
public final class SimulatorCounters
{
    private final CopyOnWriteArrayList<AtomicLong> framesSent = new CopyOnWriteArrayList<>();
    private final AtomicLong framesStreamed = new AtomicLong();
    private final AtomicLong restRequests = new AtomicLong();
    private final AtomicLong restRejected = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private final AtomicLong framesDuplicated = new AtomicLong();
    private final AtomicLong framesCorrupted = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong pauses = new AtomicLong();
    private final AtomicLong readStops = new AtomicLong();

    /** @return WebSocket connections opened so far. */
    public int connections()
    {
        return framesSent.size();
    }

    /**
     * @param connection a connection number, 0 .. {@link #connections()} - 1.
     * @return recorded frames written to it (a duplicate counts twice, a corrupted frame once).
     */
    public long framesSent(final int connection)
    {
        return framesSent.get(connection).get();
    }

    /** @return recorded frames the stream has passed (sent, dropped or muted for every client). */
    public long framesStreamed()
    {
        return framesStreamed.get();
    }

    /** @return REST requests received, rejected ones included. */
    public long restRequests()
    {
        return restRequests.get();
    }

    /** @return REST requests answered with an injected 429 or 418. */
    public long restRejected()
    {
        return restRejected.get();
    }

    /** @return recorded frames not sent because of {@link SimulatorFaults#dropFrames}. */
    public long framesDropped()
    {
        return framesDropped.get();
    }

    /** @return recorded frames sent twice. */
    public long framesDuplicated()
    {
        return framesDuplicated.get();
    }

    /** @return recorded frames sent cut in half. */
    public long framesCorrupted()
    {
        return framesCorrupted.get();
    }

    /** @return injected disconnects carried out (each closes every connection open then). */
    public long disconnects()
    {
        return disconnects.get();
    }

    /** @return pauses that held back at least one frame. */
    public long pauses()
    {
        return pauses.get();
    }

    /** @return times reading from the clients was stopped. */
    public long readStops()
    {
        return readStops.get();
    }

    int newConnection()
    {
        framesSent.add(new AtomicLong());
        return framesSent.size() - 1;
    }

    void frameSent(final int connection)
    {
        framesSent.get(connection).incrementAndGet();
    }

    void frameStreamed()
    {
        framesStreamed.incrementAndGet();
    }

    void restRequest()
    {
        restRequests.incrementAndGet();
    }

    void restRejection()
    {
        restRejected.incrementAndGet();
    }

    void frameDropped()
    {
        framesDropped.incrementAndGet();
    }

    void frameDuplicated()
    {
        framesDuplicated.incrementAndGet();
    }

    void frameCorrupted()
    {
        framesCorrupted.incrementAndGet();
    }

    void disconnect()
    {
        disconnects.incrementAndGet();
    }

    void pause()
    {
        pauses.incrementAndGet();
    }

    void readStop()
    {
        readStops.incrementAndGet();
    }
}
