package io.loom.runtime.fiber;

import io.loom.runtime.affinity.PinningRefusedException;
import net.openhft.affinity.Affinity;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A reactor pins its carrier to the configured core; a refusal fails start() under REQUIRED, and is visible otherwise. */
class ReactorPinningTest
{
    @Test
    void shouldPinTheReactorThreadAndSoEveryFiberToTheConfiguredCore() throws Exception
    {
        final int cpu = Runtime.getRuntime().availableProcessors() - 1;
        assumeTrue(platformThreadCanBePinned(cpu), "this machine refuses thread affinity; pinning cannot be checked here");
        try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("pinned").cpu(cpu)).start())
        {
            final AtomicReference<BitSet> seenByFiber = new AtomicReference<>();
            final FiberBaton done = new FiberBaton();
            reactor.spawn("f", () ->
            {
                seenByFiber.set(Affinity.getAffinity()); // the OS thread under a fiber is the reactor's carrier
                done.post();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            final BitSet expected = new BitSet();
            expected.set(cpu);
            assertEquals(expected, seenByFiber.get());
        }
    }

    @Test
    void shouldFailStartNamingCoreAndReasonWhenRequiredPinningIsRefused()
    {
        final FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("strict").cpu(0).pinningRequired(true)
            .corePinner(cpu ->
            {
                throw new PinningRefusedException("no such luck");
            }));
        final IllegalStateException error = assertThrows(IllegalStateException.class, reactor::start);
        assertEquals("reactor 'strict' could not be pinned to core 0 and pinning is REQUIRED: no such luck", error.getMessage());
        assertFalse(reactor.thread().isAlive(), "the reactor thread ended");
        assertFalse(reactor.isRunning());
        assertFalse(reactor.isPinned());
        assertThrows(IllegalStateException.class, () -> reactor.spawn("late", () -> { }));
        reactor.stop();
    }

    @Test
    void shouldRunUnpinnedAndSaySoWhenBestEffortPinningIsRefused() throws Exception
    {
        try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("lenient").cpu(0)
            .corePinner(cpu ->
            {
                throw new PinningRefusedException("no such luck");
            })).start())
        {
            assertFalse(reactor.isPinned());
            final FiberBaton ran = new FiberBaton();
            reactor.spawn("f", ran::post);
            assertTrue(ran.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldSayPinnedOnceStartReturnsWhenThePinnerGrantsTheCore()
    {
        final AtomicReference<Thread> pinnedThread = new AtomicReference<>();
        try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("granted").cpu(0).pinningRequired(true)
            .corePinner(cpu -> pinnedThread.set(Thread.currentThread()))).start())
        {
            assertTrue(reactor.isPinned());
            assertSame(reactor.thread(), pinnedThread.get(), "the reactor pinned its own carrier thread");
        }
    }

    private static boolean platformThreadCanBePinned(final int cpu) throws InterruptedException
    {
        final AtomicReference<BitSet> affinity = new AtomicReference<>();
        final Thread probe = new Thread(() ->
        {
            try
            {
                Affinity.setAffinity(cpu);
                affinity.set(Affinity.getAffinity());
            }
            catch (final RuntimeException | LinkageError ex)
            {
                affinity.set(new BitSet());
            }
        });
        probe.start();
        probe.join(10_000);
        return affinity.get() != null && affinity.get().cardinality() == 1 && affinity.get().get(cpu);
    }
}
