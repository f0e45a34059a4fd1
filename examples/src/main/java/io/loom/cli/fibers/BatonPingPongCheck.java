package io.loom.cli.fibers;

import io.loom.api.fiber.Baton;
import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two fibers on one reactor hand a pair of batons back and forth; each round trip is two fiber
 * switches (park one, resume the other, and back). It measures the switch rate, and the bytes the
 * reactor thread allocates per switch, after a warm-up round of the same rally.
 *
 * <pre>
 *   "ping" fiber                       "pong" fiber
 *   ping.post() ──────────────────────▶ ping.await(); ping.reset()
 *   pong.await(); pong.reset() ◀────── pong.post()
 *
 *   main thread:  await warmedUp ─▶ read allocated bytes ─▶ post go ─▶ await done ─▶ read allocated bytes ─▶ release
 * </pre>
 *
 * <p>Both fibers stay parked, alive, until released after the second reading, so neither fiber
 * start-up nor fiber exit falls inside the measured window.
 *
 * <p>Thread-safety: {@link #run} is called once, by one platform thread; the fibers publish their
 * results through a volatile field and an atomic counter.
 */
final class BatonPingPongCheck
{
    private final FiberScheduler reactor;
    private final ReactorAllocation allocation;
    private final long roundTrips;
    private final long warmupRoundTrips;
    private final Baton ping = new FiberBaton();
    private final Baton pong = new FiberBaton();
    private final Baton warmedUp = new FiberBaton();
    private final Baton go = new FiberBaton();
    private final Baton done = new FiberBaton();
    private final Baton releasePing = new FiberBaton();
    private final Baton releasePong = new FiberBaton();
    private volatile long elapsedNs;
    private final AtomicInteger offReactor = new AtomicInteger();

    BatonPingPongCheck(final FiberScheduler reactor, final long roundTrips, final long warmupRoundTrips)
    {
        this.reactor = reactor;
        this.allocation = new ReactorAllocation(reactor.thread());
        this.roundTrips = roundTrips;
        this.warmupRoundTrips = warmupRoundTrips;
    }

    /**
     * Runs the warm-up rally, then the measured one.
     *
     * @param timeoutNs longest wait for each of the two rallies.
     * @return the outcome.
     * @throws InterruptedException if the calling thread is interrupted while waiting.
     */
    PingPongResult run(final long timeoutNs) throws InterruptedException
    {
        reactor.spawn("pong", this::pongLoop);
        reactor.spawn("ping", this::pingLoop);
        if (!warmedUp.await(timeoutNs, TimeUnit.NANOSECONDS))
        {
            return new PingPongResult(roundTrips, warmupRoundTrips, false, offReactor.get(), 0, ReactorAllocation.UNSUPPORTED);
        }
        final long bytesBefore = allocation.allocatedBytes();
        go.post();
        final boolean finished = done.await(timeoutNs, TimeUnit.NANOSECONDS);
        final long bytesAfter = allocation.allocatedBytes();
        releasePing.post();
        final long allocatedBytes = bytesBefore == ReactorAllocation.UNSUPPORTED || bytesAfter == ReactorAllocation.UNSUPPORTED ?
            ReactorAllocation.UNSUPPORTED : bytesAfter - bytesBefore;
        return new PingPongResult(roundTrips, warmupRoundTrips, finished, offReactor.get(), elapsedNs, allocatedBytes);
    }

    private void pingLoop() throws InterruptedException
    {
        checkOnReactor();
        rally(warmupRoundTrips);
        warmedUp.post();
        go.await();
        final long startNs = System.nanoTime();
        rally(roundTrips);
        elapsedNs = System.nanoTime() - startNs;
        checkOnReactor();
        done.post();
        releasePing.await();
        releasePong.post();
    }

    private void rally(final long count) throws InterruptedException
    {
        for (long i = 0; i < count; i++)
        {
            ping.post();
            pong.await();
            pong.reset();
        }
    }

    private void pongLoop() throws InterruptedException
    {
        checkOnReactor();
        for (long i = 0, total = warmupRoundTrips + roundTrips; i < total; i++)
        {
            ping.await();
            ping.reset();
            pong.post();
        }
        checkOnReactor();
        releasePong.await();
    }

    private void checkOnReactor()
    {
        if (!reactor.inReactor())
        {
            offReactor.incrementAndGet();
        }
    }
}
