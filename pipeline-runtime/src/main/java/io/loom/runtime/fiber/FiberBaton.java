package io.loom.runtime.fiber;

import io.loom.api.fiber.Baton;
import io.loom.api.fiber.TimerHandler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Loom's {@link Baton}: one word of state (unposted, waiting, posted), {@link LockSupport} to park
 * and unpark, and — for a fiber's timed wait — a timer on its reactor's wheel and clock instead of
 * the JDK's timed park, so the timeout allocates nothing, wakes on the reactor thread and follows
 * a simulated clock during replay. Platform threads time out on {@link System#nanoTime()}.
 *
 * <p>Thread-safety: as {@link Baton} states — post from any thread; one waiter at a time.
 */
public final class FiberBaton implements Baton
{
    private static final int UNPOSTED = 0;
    private static final int WAITING = 1;
    private static final int POSTED = 2;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(FiberBaton.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private volatile int state;
    private Thread waiter;
    private final TimerHandler timeout = this::onTimeout;

    /** Creates an unposted baton. */
    public FiberBaton()
    {
    }

    @Override
    public void await() throws InterruptedException
    {
        if (!beginWait())
        {
            return;
        }
        while (state == WAITING)
        {
            LockSupport.park(this);
            if (Thread.interrupted())
            {
                abandonWait();
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
        final FiberScheduler reactor = FiberScheduler.currentFiberReactor();
        if (!beginWait())
        {
            return true;
        }
        return reactor != null ? awaitOnReactor(reactor, timeoutNs) : awaitOnPlatformClock(timeoutNs);
    }

    @Override
    public void post()
    {
        while (true)
        {
            final int s = state;
            if (s == POSTED)
            {
                return;
            }
            if (STATE.compareAndSet(this, s, POSTED))
            {
                if (s == WAITING)
                {
                    LockSupport.unpark(waiter);
                }
                return;
            }
        }
    }

    @Override
    public void reset()
    {
        if (state == WAITING)
        {
            throw new IllegalStateException("cannot reset a baton while a thread waits on it");
        }
        state = UNPOSTED;
    }

    @Override
    public boolean isPosted()
    {
        return state == POSTED;
    }

    @Override
    public String toString()
    {
        return "FiberBaton{" + (state == POSTED ? "posted" : state == WAITING ? "waiting" : "unposted") + '}';
    }

    private boolean awaitOnReactor(final FiberScheduler reactor, final long timeoutNs) throws InterruptedException
    {
        final long timerId = reactor.scheduleTimer(reactor.clock().nanoTime() + timeoutNs, timeout);
        while (state == WAITING)
        {
            LockSupport.park(this);
            if (Thread.interrupted())
            {
                reactor.cancelTimer(timerId);
                abandonWait();
            }
        }
        if (state == POSTED)
        {
            reactor.cancelTimer(timerId);
            return true;
        }
        return false;
    }

    private boolean awaitOnPlatformClock(final long timeoutNs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (state == WAITING)
        {
            final long remainingNs = deadlineNs - System.nanoTime();
            if (remainingNs <= 0)
            {
                return !STATE.compareAndSet(this, WAITING, UNPOSTED);
            }
            LockSupport.parkNanos(this, remainingNs);
            if (Thread.interrupted())
            {
                abandonWait();
            }
        }
        return state == POSTED;
    }

    /** @return true if the caller must wait, false if the baton is already posted. */
    private boolean beginWait()
    {
        if (state == POSTED)
        {
            return false;
        }
        waiter = Thread.currentThread();
        if (STATE.compareAndSet(this, UNPOSTED, WAITING))
        {
            return true;
        }
        if (state == POSTED)
        {
            return false;
        }
        throw new IllegalStateException("a baton has one waiter; another thread is already waiting");
    }

    /** Interrupted while waiting: leave the baton unposted and throw, unless a post won the race. */
    private void abandonWait() throws InterruptedException
    {
        if (STATE.compareAndSet(this, WAITING, UNPOSTED))
        {
            throw new InterruptedException("interrupted while waiting on a baton");
        }
        Thread.currentThread().interrupt(); // posted meanwhile: keep the interrupt for the caller
    }

    private void onTimeout(final long timerId, final long nowNs)
    {
        if (STATE.compareAndSet(this, WAITING, UNPOSTED))
        {
            LockSupport.unpark(waiter);
        }
    }
}
