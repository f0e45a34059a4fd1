package io.loom.api.fiber;

/**
 * The code a fiber runs. Straight-line code that may wait on batons, sockets and sleeps.
 *
 * <p>An {@link InterruptedException} that escapes it while its reactor is stopping is the normal
 * way out of a fiber; any other exception that escapes is reported and counted by the reactor.
 */
@FunctionalInterface
public interface FiberBody
{
    /**
     * Runs the fiber's work.
     *
     * @throws Exception anything the work fails with; reported and counted, never fatal to the reactor.
     */
    void run() throws Exception;
}
