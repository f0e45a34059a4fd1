package io.loom.bench.ws;

import io.loom.runtime.fiber.FiberBaton;

import java.util.concurrent.TimeUnit;

/**
 * Counts messages a client received and lets the benchmark thread wait, without spinning, until
 * the count reaches a target. The client's thread calls {@link #onMessage()} per message (a plain
 * increment and one volatile read), or {@link #onMessages(long)} per batch; the benchmark thread
 * calls {@link #awaitAtLeast(long)}.
 *
 * <p>Thread-safety: one counting thread, one waiting thread.
 */
final class ReceiveCounter
{
    private final FiberBaton reached = new FiberBaton();
    private volatile long received;
    private volatile long target = Long.MAX_VALUE;

    /** Called by the client for every whole message received. */
    void onMessage()
    {
        final long count = received + 1;
        received = count;
        if (count >= target)
        {
            reached.post();
        }
    }

    /** Called by a client that counts {@code count} whole messages at once (0 is allowed). */
    void onMessages(final long count)
    {
        final long total = received + count;
        received = total;
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
