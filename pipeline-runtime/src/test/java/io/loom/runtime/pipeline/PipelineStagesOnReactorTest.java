package io.loom.runtime.pipeline;

import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.Venue;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.api.stage.Stage;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberTcpSocket;
import io.loom.runtime.net.LoopbackPeer;
import io.loom.api.pipeline.Backpressure;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import io.loom.api.pipeline.PipelineTopologyException;
import io.loom.api.stage.StageContext;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.loom.runtime.pipeline.PipelineTestKit.THREADS;
import static io.loom.runtime.pipeline.PipelineTestKit.build;
import static io.loom.runtime.pipeline.PipelineTestKit.closeAndAssertNoThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.liveThreads;
import static io.loom.runtime.pipeline.PipelineTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stages on the reactor ({@code onReactor()}): they see every event once and in order on the
 * reactor thread, with no stage thread; through a full ring and the overflow queue; started before
 * the first event and stopped at close; without allocating per event; before the publishing fiber's
 * next socket read; and never mixed in a chain with stage threads.
 */
class PipelineStagesOnReactorTest
{
    private static final int MESSAGES = 20_000;
    private static final int EVENTS_PER_MESSAGE = 3;
    private static final long EVENTS = (long)MESSAGES * EVENTS_PER_MESSAGE;

    @Test
    void shouldDeliverEveryEventOnceAndInOrderOnTheReactorThreadWithNoStageThread()
    {
        final ThreadRecordingStage books = new ThreadRecordingStage();
        final RecordingStage signals = new RecordingStage(EVENTS_PER_MESSAGE).after(books);
        final SyntheticSource source = new SyntheticSource("feed", MESSAGES, EVENTS_PER_MESSAGE, "BTCUSDT", "ETHUSDT").yieldEvery(64);
        final DisruptorPipeline pipeline = build(Pipeline.builder("on-reactor").ringSize(1024).source(source)
            .stage("books", () -> books).onReactor().then("signals", () -> signals).onReactor());
        try
        {
            pipeline.start();
            assertEquals(1, books.starts.get(), "onStart ran before start() returned");
            until(() -> signals.bookEvents() == EVENTS, 30_000, "the stages on the reactor to see every event");
            assertEquals(List.of(pipeline.name() + "-reactor"), liveThreads(pipeline.name() + '-'), "the reactor is the pipeline's only thread");
            assertSame(pipeline.reactor().thread(), books.thread.get(), "the stage ran on the reactor thread");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(1, books.stops.get(), "onStop ran at close");
        for (final RecordingStage stage : List.of(books, signals))
        {
            assertEquals(EVENTS, stage.bookEvents());
            assertEquals(0, stage.violations(), stage.firstViolation());
        }
        final PipelineMetrics metrics = pipeline.metrics();
        assertEquals(EVENTS, metrics.published());
        assertEquals(List.of(EVENTS, EVENTS), metrics.stages().stream().map(PipelineMetrics.Stage::events).toList());
        assertEquals(0, metrics.ringOccupancy());
    }

    @Test
    void shouldFreeRoomForTheOverflowQueueWhenTheRingFillsBeforeTheReactorPolls()
    {
        final RecordingStage books = new RecordingStage(EVENTS_PER_MESSAGE);
        final SyntheticSource source = new SyntheticSource("feed", MESSAGES, EVENTS_PER_MESSAGE, "BTCUSDT");
        final DisruptorPipeline pipeline = build(Pipeline.builder("on-reactor-full").ringSize(64).overflowCapacity(256)
            .backpressure(Backpressure.BLOCK).source(source).stage("books", () -> books).onReactor());
        try
        {
            pipeline.start();
            until(() -> books.bookEvents() == EVENTS, 30_000, "the stage on the reactor to see every event");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, books.violations(), books.firstViolation());
        assertTrue(pipeline.metrics().overflowedMessages() > 0, "the source never yields: the 64-slot ring filled and messages went through the overflow queue");
        assertTrue(pipeline.metrics().batonWaits() > 0, "the source waited for room the stage on the reactor freed");
    }

    @Test
    void shouldRejectAStageThreadAfterAStageOnTheReactorAndTheOtherWayRound()
    {
        final PipelineTopologyException threadAfter = assertThrows(PipelineTopologyException.class, () -> Pipeline.builder("reversed")
            .stage("books", () -> new RecordingStage(1)).onReactor().then("signals", () -> new RecordingStage(1)).validate());
        assertTrue(threadAfter.getMessage().contains("'signals' runs after 'books', and only one of them runs on the reactor"),
            threadAfter.getMessage());
        final PipelineTopologyException reactorAfter = assertThrows(PipelineTopologyException.class, () -> Pipeline.builder("after-thread")
            .stage("books", () -> new RecordingStage(1)).then("sink", () -> new RecordingStage(1)).onReactor().validate());
        assertTrue(reactorAfter.getMessage().contains("'sink' runs after 'books', and only one of them runs on the reactor"),
            reactorAfter.getMessage());
    }

    @Test
    void shouldApplyWhatASourcePublishedBeforeThatSourceReadsItsSocketAgain() throws Exception
    {
        final AtomicLong stageEvents = new AtomicLong();
        final Stage counting = (event, sequence, endOfBatch) -> stageEvents.lazySet(stageEvents.get() + 1);
        try (LoopbackPeer peer = LoopbackPeer.start("two-bytes", socket ->
        {
            socket.getOutputStream().write(new byte[]{1, 2}); // one segment: the second byte is readable at once
            socket.getInputStream().read();
        }))
        {
            final PublishThenReadSource source = new PublishThenReadSource(peer, stageEvents);
            final DisruptorPipeline pipeline = build(Pipeline.builder("on-reactor-before-read").ringSize(64).source(source)
                .stage("books", () -> counting).onReactor());
            try
            {
                pipeline.start();
                until(() -> source.eventsSeenAtRead.get() >= 0, 30_000, "the source to publish and read again");
                assertEquals(1, source.eventsSeenAtRead.get(), "the stage had the event when the source's read returned");
                assertEquals(1, pipeline.reactor().counters().agentRunsBeforeRead(), "the stage ran once before the read");
            }
            finally
            {
                closeAndAssertNoThreads(pipeline);
            }
        }
    }

    @Test
    void shouldNotAllocatePerEventOnTheReactorThatRunsTheStages()
    {
        final RecordingStage books = new RecordingStage(EVENTS_PER_MESSAGE);
        final SyntheticSource source = new SyntheticSource("feed", MESSAGES, EVENTS_PER_MESSAGE, "BTCUSDT").yieldEvery(64).rounds(4);
        final DisruptorPipeline pipeline = build(Pipeline.builder("on-reactor-alloc").ringSize(1024).source(source).stage("books", () -> books)
            .onReactor());
        try
        {
            pipeline.start();
            for (int round = 1; round <= 3; round++)
            {
                final long events = round * EVENTS;
                until(() -> books.bookEvents() == events, 30_000, "warm-up round to be consumed");
                source.releaseRound();
            }
            final long reactorId = pipeline.reactor().thread().threadId();
            final long before = THREADS.getThreadAllocatedBytes(reactorId);
            until(() -> books.bookEvents() == 4 * EVENTS, 30_000, "the measured round to be consumed");
            final long bytes = THREADS.getThreadAllocatedBytes(reactorId) - before;
            assertTrue((double)bytes / EVENTS < 0.1, "the reactor allocated " + bytes + " B over " + EVENTS + " events published and consumed");
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        assertEquals(0, books.violations(), books.firstViolation());
    }

    /** Records the thread it runs on, and its starts and stops. */
    private static final class ThreadRecordingStage extends RecordingStage
    {
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();

        ThreadRecordingStage()
        {
            super(EVENTS_PER_MESSAGE);
        }

        @Override
        public void onStart(final StageContext context)
        {
            starts.incrementAndGet();
        }

        @Override
        void onChecked(final MarketEvent event, final long sequence)
        {
            thread.compareAndSet(null, Thread.currentThread());
        }

        @Override
        public void onStop()
        {
            stops.incrementAndGet();
        }
    }

    /**
     * Reads a first byte from the peer, publishes one event, reads the second byte (already in the
     * kernel's buffer, so the read does not wait) and records how many events the stage had seen
     * when that read returned.
     */
    private static final class PublishThenReadSource implements Source
    {
        final AtomicLong eventsSeenAtRead = new AtomicLong(-1);
        private final LoopbackPeer peer;
        private final AtomicLong stageEvents;

        PublishThenReadSource(final LoopbackPeer peer, final AtomicLong stageEvents)
        {
            this.peer = peer;
            this.stageEvents = stageEvents;
        }

        @Override
        public String name()
        {
            return "publish-then-read";
        }

        @Override
        public void start(final SourceContext context)
        {
            final FiberScheduler reactor = (FiberScheduler)context.reactor();
            final int instrumentId = context.instruments().intern(Venue.SYNTHETIC, "BTCUSDT", -2, -4).id();
            final EventPublisher publisher = context.publisher();
            reactor.spawn(name(), () ->
            {
                try (FiberTcpSocket socket = FiberTcpSocket.connect(reactor, peer.address(), TimeUnit.SECONDS.toNanos(5)))
                {
                    final ByteBuffer oneByte = ByteBuffer.allocateDirect(1);
                    socket.read(oneByte);
                    final EventPublisher.MessageClaim claim = publisher.claim(1);
                    claim.event(0).venueId(Venue.SYNTHETIC.id()).bookLevel(instrumentId, Side.BID, 1_000, 1).sequence(0);
                    claim.publish();
                    oneByte.clear();
                    socket.read(oneByte);
                    eventsSeenAtRead.set(stageEvents.get());
                }
            });
        }
    }
}
