package io.loom.runtime.fiber;

import net.openhft.affinity.Affinity;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
