package io.loom.runtime.net;

import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.FiberSchedulerContext;
import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.loom.runtime.net.FiberTcpSocketTest.CONNECT_TIMEOUT_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A fiber's socket read lets the reactor's agent do its waiting work first
 * ({@link FiberSchedulerContext#agentWorkPending}), even when the read would return at once: the
 * agent (a pipeline's stages on the reactor) handles what the fiber published before the read, not
 * after the fiber's slice. It runs in place, on the fiber, without a yield (a yield freezes the
 * fiber's stack, which allocates while the read path is not yet compiled). With no work waiting the
 * agent does not run before the read.
 */
class FiberTcpSocketAgentWorkTest
{
    /** Sends two bytes in one write, then waits for the client to close. */
    private static final LoopbackPeer.Session TWO_BYTES = socket ->
    {
        socket.getOutputStream().write(new byte[]{1, 2});
        socket.getInputStream().read();
    };

    @Test
    void shouldLetTheAgentHandleWaitingWorkBeforeAReadThatReturnsAtOnce() throws Exception
    {
        final WorkAgent agent = new WorkAgent();
        try (LoopbackPeer peer = LoopbackPeer.start("yield-peer", TWO_BYTES);
             FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("yield-reactor")
                 .agent(agent).agentWorkPending(agent::pending)).start())
        {
            final List<String> order = FiberCall.call(reactor, () -> readSecondByteAfterPostingWork(reactor, peer, agent, true));
            assertEquals(List.of("agent did the work on the fiber", "read returned 2"), order,
                "the agent ran before the read, in place on the fiber: no yield to the reactor thread");
            assertEquals(1, reactor.counters().agentRunsBeforeRead());
            assertNull(peer.failure());
        }
    }

    @Test
    void shouldNotRunTheAgentBeforeTheReadWhenItHasNoWork() throws Exception
    {
        final WorkAgent agent = new WorkAgent();
        try (LoopbackPeer peer = LoopbackPeer.start("no-yield-peer", TWO_BYTES);
             FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("no-yield-reactor")
                 .agent(agent).agentWorkPending(agent::pending)).start())
        {
            final List<String> order = FiberCall.call(reactor, () -> readSecondByteAfterPostingWork(reactor, peer, agent, false));
            assertEquals(List.of("read returned 2"), order);
            assertEquals(0, reactor.counters().agentRunsBeforeRead());
        }
    }

    @Test
    void shouldNotRunTheAgentBeforeTheReadWithoutAPendingWorkCheck() throws Exception
    {
        final WorkAgent agent = new WorkAgent();
        try (LoopbackPeer peer = LoopbackPeer.start("unasked-peer", TWO_BYTES);
             FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("unasked-reactor").agent(agent)).start())
        {
            final List<String> order = FiberCall.call(reactor, () -> readSecondByteAfterPostingWork(reactor, peer, agent, true));
            assertEquals(List.of("read returned 2", "agent did the work on the reactor thread"), order, "the agent runs only after the fiber's slice");
            assertEquals(0, reactor.counters().agentRunsBeforeRead());
        }
    }

    /**
     * Reads the first byte (waiting for it if need be), so the second is already in the kernel's
     * buffer; posts work to the agent if asked; reads the second byte, which returns without a wait;
     * then gives the agent's leftover work a slice to run in.
     */
    private static List<String> readSecondByteAfterPostingWork(
        final FiberScheduler reactor, final LoopbackPeer peer, final WorkAgent agent, final boolean postWork) throws Exception
    {
        try (FiberTcpSocket socket = FiberTcpSocket.connect(reactor, peer.address(), CONNECT_TIMEOUT_NS))
        {
            final ByteBuffer oneByte = ByteBuffer.allocateDirect(1);
            assertEquals(1, socket.read(oneByte));
            oneByte.clear();
            agent.posted = postWork;
            final int read = socket.read(oneByte);
            agent.order.add("read returned " + oneByte.get(0));
            assertEquals(1, read);
            reactor.sleepNs(1_000_000); // a slice boundary: work still waiting is done now, after the read
            return agent.order;
        }
    }

    /** Work posted by the fiber, done on the reactor's carrier (on the fiber or between slices): one OS thread, so plain fields. */
    private static final class WorkAgent implements Agent
    {
        final List<String> order = new ArrayList<>();
        boolean posted;

        boolean pending()
        {
            return posted;
        }

        @Override
        public int doWork()
        {
            if (!posted)
            {
                return 0;
            }
            posted = false;
            order.add(Thread.currentThread().isVirtual() ? "agent did the work on the fiber" : "agent did the work on the reactor thread");
            return 1;
        }

        @Override
        public String roleName()
        {
            return "work-agent";
        }
    }
}
