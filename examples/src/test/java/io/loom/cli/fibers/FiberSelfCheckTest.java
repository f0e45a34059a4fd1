package io.loom.cli.fibers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FiberSelfCheckTest
{
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldPassAndAccountForEveryFiberRoundTripAndTimer() throws InterruptedException
    {
        final FiberSelfCheck.Settings settings = new FiberSelfCheck.Settings(
            500, 20_000, 5_000, 500, TimeUnit.MILLISECONDS.toNanos(20), 42, TimeUnit.SECONDS.toNanos(30));
        final List<CheckLine> streamed = new ArrayList<>();

        final FiberSelfCheckReport report = FiberSelfCheck.run(settings, streamed::add);

        assertTrue(report.passed(), () -> describe(report));
        assertTrue(report.verdict().startsWith("verdict: PASS"), report.verdict());
        assertEquals(report.lines(), streamed, "every line is streamed as its phase ends");
        assertEquals(List.of("spawn", "switch", "alloc", "timers", "faults"),
            report.lines().stream().map(CheckLine::name).toList());

        final SpawnCheck.Result spawn = report.spawn();
        assertEquals(500, spawn.spawned());
        assertEquals(500, spawn.completed());
        assertEquals(0, spawn.offReactor());

        final PingPongResult pingPong = report.pingPong();
        assertTrue(pingPong.finished());
        assertEquals(20_000, pingPong.roundTrips());
        assertEquals(40_000, pingPong.switches());
        assertEquals(0, pingPong.offReactor());
        assertTrue(pingPong.elapsedNs() > 0);

        final TimerOrderCheck.Result timers = report.timers();
        assertEquals(500, timers.scheduled());
        assertEquals(500, timers.fired());
        assertEquals(0, timers.early());
        assertEquals(0, timers.outOfOrder());
        assertEquals(0, timers.unknown());

        assertEquals(0, report.faults().fiberFailures());
        assertFalse(Thread.getAllStackTraces().keySet().stream()
            .anyMatch(thread -> thread.getName().equals(FiberSelfCheck.REACTOR_NAME)), "the reactor thread is gone");
    }

    private static String describe(final FiberSelfCheckReport report)
    {
        final StringBuilder text = new StringBuilder();
        report.lines().forEach(line -> text.append(line).append('\n'));
        return text.append(report.verdict()).toString();
    }
}
