package io.loom.api.fiber;

/**
 * A reactor runs cooperative fibers, M:1, on one platform thread, together with the I/O readiness
 * and timers they wait on. Connector code runs as straight-line fiber code: when it waits (a baton,
 * a socket, a sleep) it parks and the reactor runs the next ready fiber.
 *
 * <p>Thread-safety: {@link #spawn}, {@link #newBaton()}, {@link #clock()} and
 * {@link #inReactor()} may be called from any thread. Timer and sleep methods must be called on the
 * reactor: from one of its fibers or from a {@link TimerHandler} it runs.
 */
public interface Reactor
{
    /**
     * The reactor's name, which is also the name of its platform thread.
     *
     * @return the name.
     */
    String name();

    /**
     * The clock that times this reactor's timers and sleeps.
     *
     * @return the clock.
     */
    NanoClock clock();

    /**
     * Starts a new fiber that runs {@code body} on this reactor. An exception escaping {@code body}
     * is reported and counted; it never stops the reactor.
     *
     * @param name the fiber's name, used in reports of slow slices and failures.
     * @param body the code the fiber runs.
     * @return the fiber's thread (a virtual thread scheduled by this reactor), to join or interrupt.
     * @throws IllegalStateException if the reactor is not running.
     */
    Thread spawn(String name, FiberBody body);

    /**
     * A new baton. Its timed waits use this reactor's clock when awaited by one of its fibers.
     *
     * @return an unposted baton.
     */
    Baton newBaton();

    /**
     * Parks the calling fiber for {@code durationNs} of reactor time.
     *
     * @param durationNs how long to sleep; zero or less returns at once.
     * @throws InterruptedException  if the fiber is interrupted.
     * @throws IllegalStateException if not called from a fiber of this reactor.
     */
    void sleepNs(long durationNs) throws InterruptedException;

    /**
     * Schedules {@code handler} to run once at {@code deadlineNs} (reactor clock). Timers due in the
     * same tick fire in (deadline, scheduling order), so runs are reproducible.
     *
     * @param deadlineNs when to fire, in {@link #clock()} time.
     * @param handler    what to call; runs on the reactor thread.
     * @return the timer's id, for {@link #cancelTimer(long)}.
     * @throws IllegalStateException if not called on the reactor.
     */
    long scheduleTimer(long deadlineNs, TimerHandler handler);

    /**
     * Schedules {@code handler} to run at {@code firstDeadlineNs} and then every {@code periodNs}
     * (fixed rate: deadlines do not drift when a firing is late) until cancelled.
     *
     * @param firstDeadlineNs the first firing, in {@link #clock()} time.
     * @param periodNs        the period, positive.
     * @param handler         what to call; runs on the reactor thread.
     * @return the timer's id, for {@link #cancelTimer(long)}.
     * @throws IllegalStateException if not called on the reactor.
     */
    long schedulePeriodic(long firstDeadlineNs, long periodNs, TimerHandler handler);

    /**
     * Cancels a timer.
     *
     * @param timerId the id returned when it was scheduled.
     * @return true if it was pending and is now cancelled; false if it had fired (one-shot), was
     * cancelled already or never existed.
     * @throws IllegalStateException if not called on the reactor.
     */
    boolean cancelTimer(long timerId);

    /**
     * Whether the calling thread is this reactor's thread or one of its fibers.
     *
     * @return true on the reactor.
     */
    boolean inReactor();
}
