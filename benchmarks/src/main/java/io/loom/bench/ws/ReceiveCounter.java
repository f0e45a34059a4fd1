package io.loom.bench.ws;

import io.loom.runtime.fiber.FiberBaton;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * Counts messages a client received and lets the benchmark thread wait, without spinning, until
 * the count reaches a target. The client's thread calls {@link #onMessage()} per message, or
 * {@link #onMessages(long)} per batch; the benchmark thread calls {@link #awaitAtLeast(long)}.
 *
 * <p><b>No fence per message.</b> The count is published with a release store, a plain store on
 * x86, not a volatile one: a volatile store is a full fence per message, harness work that costs
 * every client the same few nanoseconds and so weighs most on the fastest (JFR put 28 % of Loom's
 * samples at wss 64 B on that store). Without the fence the client may read the old target before
 * its count is visible to a waiter that has just published a new target and re-read the count;
 * then the next message sees the new target and wakes the waiter: a wake-up is at most one message
 * late, and the server streams without pause for the whole trial.
 *
 * <p>Thread-safety: one counting thread, one waiting thread.
 */
final class ReceiveCounter
{
    private static final VarHandle RECEIVED;

    static
    {
        try
        {
            RECEIVED = MethodHandles.lookup().findVarHandle(ReceiveCounter.class, "received", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final FiberBaton reached = new FiberBaton();
    private volatile long received;
    private volatile long target = Long.MAX_VALUE;

    /** Called by the client for every whole message received. */
    void onMessage()
    {
        onMessages(1);
    }

    /** Called by a client that counts {@code count} whole messages at once (0 is allowed). */
    void onMessages(final long count)
    {
        final long total = (long)RECEIVED.getOpaque(this) + count; // only this thread writes it
        RECEIVED.setRelease(this, total);
        if (total >= target)
        {
            reached.post();
        }
    }

    /** @return messages received so far. */
    long received()
    {
        return received;
    }

    /** Waits until at least {@code count} messages were received; fails after 30 s. */
    void awaitAtLeast(final long count) throws InterruptedException
    {
        while (received < count)
        {
            reached.reset();
            target = count;
            if (received >= count)
            {
                break;
            }
            if (!reached.await(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("client stalled at " + received + " messages, waiting for " + count);
            }
        }
        target = Long.MAX_VALUE;
    }
}
