package io.loom.runtime.fiber;

import io.loom.api.fiber.NanoClock;

/**
 * The times of the last socket read of one reactor's fibers that returned bytes, kept only when
 * {@link FiberSchedulerContext#stampSocketReads} is on (latency breakdowns: a fiber that just
 * received a message reads when its bytes arrived). Together they cut the arrival path into the
 * wait for the selector ({@link #readyNs()}), the hand-over to the fiber (handler, rest of the loop
 * pass, thaw) up to the read system call ({@link #callNs()}), and that call ({@link #readNs()}).
 *
 * <p>Not thread-safe: written and read on the reactor thread only.
 */
public final class SocketReadStamps
{
    private final boolean enabled;
    private final NanoClock clock;
    private long readNs;
    private long readyNs;
    private long callNs;

    SocketReadStamps(final boolean enabled, final NanoClock clock)
    {
        this.enabled = enabled;
        this.clock = clock;
    }

    /** @return whether reads are stamped: a socket takes its clock reads for {@link #onRead} only then. */
    public boolean enabled()
    {
        return enabled;
    }

    /**
     * A socket's read returned bytes: records the clock's time now and the two times the socket took on
     * the way to that read. Precondition: {@link #enabled()}, on the reactor (by the socket's fiber).
     *
     * @param readyNs when the selector reported the socket readable for the wait this read followed,
     *                0 if the read did not wait (the bytes were there when the fiber asked).
     * @param callNs  when the read system call that returned the bytes was entered.
     */
    public void onRead(final long readyNs, final long callNs)
    {
        this.readNs = clock.nanoTime();
        this.readyNs = readyNs;
        this.callNs = callNs;
    }

    /** @return the reactor clock's time when the read returned bytes; 0 if none did yet or stamps are off. */
    public long readNs()
    {
        return readNs;
    }

    /** @return when the selector had reported the socket readable for the wait that read followed; 0 if it did not wait. */
    public long readyNs()
    {
        return readyNs;
    }

    /** @return when the read system call that returned the bytes was entered; 0 if none did yet. */
    public long callNs()
    {
        return callNs;
    }
}
