package io.loom.runtime.fiber;

import io.loom.api.fiber.Baton;
import io.loom.api.fiber.TimerHandler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Loom's {@link Baton}: one word of state (unposted, posted, or the waiting thread), {@link LockSupport} to park
 * and unpark, and — for a fiber's timed wait — a timer on its reactor's wheel and clock instead of
 * the JDK's timed park, so the timeout allocates nothing, wakes on the reactor thread and follows
 * a simulated clock during replay. Platform threads time out on {@link System#nanoTime()}.
 *
 * <p>Thread-safety: as {@link Baton} states — post from any thread; one waiter at a time.
 */
public final class FiberBaton implements Baton
{
    /** The state word: null (unposted), {@code POSTED}, or the {@link Thread} that waits. */
    private static final Object POSTED = new Object();
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(FiberBaton.class, "state", Object.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private volatile Object state;
    private final TimerHandler timeout = this::onTimeout;

    /** Creates an unposted baton. */
    public FiberBaton()
    {
    }

    @Override
    public void await() throws InterruptedException
    {
        final Thread self = Thread.currentThread();
        if (!beginWait(self))
        {
            return;
        }
        while (state == self)
        {
            LockSupport.park(this);
            if (Thread.interrupted())
            {
                abandonWait(self);
            }
        }
    }

    @Override
    public boolean await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        if (state == POSTED)
        {
            return true;
        }
        final long timeoutNs = unit.toNanos(timeout);
        if (timeoutNs <= 0)
        {
            return false;
        }
        final Thread self = Thread.currentThread();
        final FiberScheduler reactor = FiberScheduler.currentFiberReactor();
        if (!beginWait(self))
        {
            return true;
        }
        return reactor != null ? awaitOnReactor(self, reactor, timeoutNs) : awaitOnPlatformClock(self, timeoutNs);
    }

    @Override
    public void post()
    {
        while (true)
        {
            final Object s = state;
            if (s == POSTED)
            {
                return;
            }
            if (STATE.compareAndSet(this, s, POSTED))
            {
                if (s != null)
                {
                    LockSupport.unpark((Thread)s);
                }
                return;
            }
        }
    }

    @Override
    public void reset()
    {
        if (state instanceof Thread)
        {
            throw new IllegalStateException("cannot reset a baton while a thread waits on it");
        }
        state = null;
    }

    @Override
    public boolean isPosted()
    {
        return state == POSTED;
    }

    @Override
    public String toString()
    {
        final Object s = state;
        return "FiberBaton{" + (s == POSTED ? "posted" : s == null ? "unposted" : "waiting: " + s) + '}';
    }

    private boolean awaitOnReactor(final Thread self, final FiberScheduler reactor, final long timeoutNs)
        throws InterruptedException
    {
        final long nowNs = reactor.clock().nanoTime();
        final long deadlineNs = nowNs + timeoutNs < nowNs ? Long.MAX_VALUE : nowNs + timeoutNs; // saturate huge timeouts
        final long timerId = reactor.scheduleTimer(deadlineNs, timeout);
        while (state == self)
        {
            LockSupport.park(this);
            if (Thread.interrupted())
            {
                reactor.cancelTimer(timerId);
                abandonWait(self);
            }
        }
        if (state == POSTED)
        {
            reactor.cancelTimer(timerId);
            return true;
        }
        return false;
    }

    private boolean awaitOnPlatformClock(final Thread self, final long timeoutNs) throws InterruptedException
    {
        final long startNs = System.nanoTime();
        final long deadlineNs = startNs + timeoutNs < startNs ? Long.MAX_VALUE : startNs + timeoutNs;
        while (state == self)
        {
            final long remainingNs = deadlineNs - System.nanoTime();
            if (remainingNs <= 0)
            {
                return !STATE.compareAndSet(this, self, null);
            }
            LockSupport.parkNanos(this, remainingNs);
            if (Thread.interrupted())
            {
                abandonWait(self);
            }
        }
        return state == POSTED;
    }

    /** @return true if the caller must wait, false if the baton is already posted. */
    private boolean beginWait(final Thread self)
    {
        if (STATE.compareAndSet(this, null, self))
        {
            return true;
        }
        if (state == POSTED)
        {
            return false;
        }
        throw new IllegalStateException("a baton has one waiter; " + state + " is already waiting");
    }

    /** Interrupted while waiting: leave the baton unposted and throw, unless a post won the race. */
    private void abandonWait(final Thread self) throws InterruptedException
    {
        if (STATE.compareAndSet(this, self, null))
        {
            throw new InterruptedException("interrupted while waiting on a baton");
        }
        Thread.currentThread().interrupt(); // posted meanwhile: keep the interrupt for the caller
    }

    private void onTimeout(final long timerId, final long nowNs)
    {
        final Object s = state;
        if (s instanceof Thread waiter && STATE.compareAndSet(this, s, null))
        {
            LockSupport.unpark(waiter);
        }
    }
}
