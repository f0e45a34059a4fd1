package io.loom.connectors.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Faults to inject into a running {@link ExchangeSimulator}, armed from any thread and applied by
 * the simulator's event loop to the recorded frames it streams next (generated answers such as
 * pongs or subscription statuses are never faulted). Each applied fault is counted in
 * {@link SimulatorCounters}.
 *
 * <p>A frame "streamed" means the recorded stream reached it; the simulator's reference books
 * follow the stream whatever happens to the frame on the wire, as an exchange's book does when a
 * message is lost in transit. So after a dropped diff a REST snapshot still includes it.
 *
 * <p>Thread-safety: thread-safe; every method may be called from any thread.
 */
public final class SimulatorFaults
{
    /** A status and Retry-After for the next REST request. */
    record RestRejection(int status, long retryAfterSeconds)
    {
    }

    /** The next {@code remaining} frames whose text matches are not sent. */
    private record DropRule(AtomicInteger remaining, Predicate<String> matching)
    {
    }

    private final Runnable onChange;
    private final AtomicInteger disconnectAfterFrames = new AtomicInteger(-1);
    private final AtomicReference<DropRule> drop = new AtomicReference<>();
    private final AtomicBoolean duplicateNext = new AtomicBoolean();
    private final AtomicBoolean corruptNext = new AtomicBoolean();
    private final AtomicLong pausedUntilNs = new AtomicLong();
    private final AtomicBoolean pauseArmed = new AtomicBoolean();
    private final AtomicBoolean readingStopped = new AtomicBoolean();
    private final AtomicReference<RestRejection> restRejection = new AtomicReference<>();

    /** @param onChange run (from the calling thread) after a change the event loop must act on at once. */
    SimulatorFaults(final Runnable onChange)
    {
        this.onChange = onChange;
    }

    /**
     * Closes every WebSocket connection at the TCP level, without a close frame, right after
     * {@code frames} more recorded frames were sent (a duplicate counts once).
     *
     * @param frames at least 0; 0 closes before the next frame.
     */
    public void disconnectAfterFrames(final int frames)
    {
        requireNonNegative(frames, "frames");
        disconnectAfterFrames.set(frames);
        onChange.run();
    }

    /**
     * Does not send the next {@code frames} recorded frames whose text matches: a gap.
     *
     * @param frames   how many to drop, at least 1.
     * @param matching chosen on the frame's text, e.g. {@code text -> text.contains("@depth")}; runs on the event loop.
     */
    public void dropFrames(final int frames, final Predicate<String> matching)
    {
        requireNonNegative(frames - 1, "frames - 1");
        drop.set(new DropRule(new AtomicInteger(frames), Objects.requireNonNull(matching, "matching")));
    }

    /** Sends the next recorded frame twice. */
    public void duplicateNextFrame()
    {
        duplicateNext.set(true);
    }

    /** Sends only the first half (by bytes) of the next recorded frame's text, e.g. JSON cut in the middle. */
    public void corruptNextFrame()
    {
        corruptNext.set(true);
    }

    /**
     * Stops streaming recorded frames for {@code duration} from now (a stall); client messages and
     * REST requests are still answered. In paced mode the pace resumes from the frame it stopped at.
     *
     * @param duration how long, positive.
     */
    public void pause(final Duration duration)
    {
        if (duration.isNegative() || duration.isZero())
        {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        pausedUntilNs.set(System.nanoTime() + duration.toNanos());
        pauseArmed.set(true);
        onChange.run();
    }

    /** Ends a {@link #pause} early. */
    public void resume()
    {
        pausedUntilNs.set(0);
        onChange.run();
    }

    /**
     * Stops reading from every WebSocket client (now and until {@link #resumeReading()}): their
     * messages and pings stay unanswered and TCP pushes back; streaming goes on.
     */
    public void stopReading()
    {
        readingStopped.set(true);
        onChange.run();
    }

    /** Reads from the WebSocket clients again. */
    public void resumeReading()
    {
        readingStopped.set(false);
        onChange.run();
    }

    /**
     * Answers the next REST request with {@code status} (429 too many requests, or 418 banned) and
     * a {@code Retry-After} header, as Binance does, instead of the snapshot.
     *
     * @param status            429 or 418.
     * @param retryAfterSeconds the Retry-After value, at least 0.
     */
    public void rejectNextRest(final int status, final long retryAfterSeconds)
    {
        if (status != 429 && status != 418)
        {
            throw new IllegalArgumentException("status must be 429 or 418: " + status);
        }
        requireNonNegative(retryAfterSeconds, "retryAfterSeconds");
        restRejection.set(new RestRejection(status, retryAfterSeconds));
    }

    /** @return whether the frame must be dropped (consumes one drop); evaluates the text only when armed. */
    boolean takeDrop(final FrameText text)
    {
        final DropRule rule = drop.get();
        if (rule == null || !rule.matching().test(text.get()))
        {
            return false;
        }
        final int left = rule.remaining().decrementAndGet();
        if (left <= 0)
        {
            drop.compareAndSet(rule, null);
        }
        return left >= 0;
    }

    boolean takeDuplicate()
    {
        return duplicateNext.getAndSet(false);
    }

    boolean takeCorrupt()
    {
        return corruptNext.getAndSet(false);
    }

    /** @return whether the frame just sent was the last before the armed disconnect. */
    boolean countDownDisconnect()
    {
        return disconnectAfterFrames.get() > 0 && disconnectAfterFrames.decrementAndGet() == 0 && disconnectAfterFrames.compareAndSet(0, -1);
    }

    /** @return whether a disconnect is due before the next frame (armed with 0). */
    boolean takeImmediateDisconnect()
    {
        return disconnectAfterFrames.compareAndSet(0, -1);
    }

    /** @return the pause deadline on the {@link System#nanoTime()} clock, 0 if none. */
    long pausedUntilNs()
    {
        return pausedUntilNs.get();
    }

    /** @return whether a pause was armed since the last call (for counting). */
    boolean takePauseArmed()
    {
        return pauseArmed.getAndSet(false);
    }

    boolean readingStopped()
    {
        return readingStopped.get();
    }

    RestRejection takeRestRejection()
    {
        return restRejection.getAndSet(null);
    }

    private static void requireNonNegative(final long value, final String name)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
