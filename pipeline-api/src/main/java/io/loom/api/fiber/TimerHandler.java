package io.loom.api.fiber;

/**
 * Called by a reactor when a timer it holds expires. Implement it on a long-lived object (a session,
 * a baton) rather than with a capturing lambda, so scheduling a timer allocates nothing.
 *
 * <p>Always called on the reactor's own thread, never concurrently with that reactor's fibers.
 * It must not block: it runs inside the reactor loop.
 */
@FunctionalInterface
public interface TimerHandler
{
    /**
     * The timer {@code timerId} expired.
     *
     * @param timerId the id returned when the timer was scheduled.
     * @param nowNs   the reactor clock's time when the timer fired (at or after its deadline).
     */
    void onTimer(long timerId, long nowNs);
}
