package io.loom.runtime.book;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineBuilder;
import io.loom.runtime.BoundedWait;
import io.loom.runtime.pipeline.DisruptorPipelineEngine;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OrderBookStage} in a real pipeline: a {@link LadderBookSource} on the reactor, the book
 * stage on its thread, a {@link LadderReaderStage} after it on another thread reading the books
 * through the stamp; zero allocation on the book stage's thread, measured with its allocation
 * counter over a round after three warm-up rounds; a crossed book's resync reaching the source.
 *
 * <p>A reader racing a writer that writes flat out can fail its bounded attempts when the
 * scheduler (2 cores, a loaded CI machine) runs it only while the writer is mid-message: that is
 * starvation, not a torn read, so such reads are bounded to 1 % while torn reads must be none.
 */
class OrderBookStagePipelineTest
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int DEPTH = 10;
    private static final int RING_SIZE = 1 << 12;
    private static final int MESSAGES_PER_ROUND = 10_000;
    private static final int WARM_UP_ROUNDS = 3;
    /** As in the pipeline's own allocation tests: fixed costs spread over ~200,000 events stay far below. */
    private static final double MAX_BYTES_PER_EVENT = 0.1;

    @Test
    void shouldServeConsistentBooksToAStageOnAnotherThreadWithoutAllocatingOnTheBookThread()
    {
        final LadderBookSource source = new LadderBookSource(DEPTH, MESSAGES_PER_ROUND, WARM_UP_ROUNDS + 1, false);
        final OrderBookStage books = new OrderBookStage();
        final LadderReaderStage reader = new LadderReaderStage("books", DEPTH);
        final Pipeline pipeline = build(Pipeline.builder("book-reads").ringSize(RING_SIZE).source(source)
            .stage("books", () -> books).then("reader", () -> reader));
        try
        {
            pipeline.start();
            for (int round = 1; round <= WARM_UP_ROUNDS; round++)
            {
                awaitRound(pipeline, source, books, reader, round);
                if (round < WARM_UP_ROUNDS)
                {
                    source.releaseRound();
                }
            }
            final long stageThreadId = threadNamed(pipeline.name() + "-books").threadId();
            final long eventsBefore = books.eventsApplied();
            final long bytesBefore = THREADS.getThreadAllocatedBytes(stageThreadId);
            source.releaseRound();
            awaitRound(pipeline, source, books, reader, WARM_UP_ROUNDS + 1);
            final long bytes = THREADS.getThreadAllocatedBytes(stageThreadId) - bytesBefore;
            final long events = books.eventsApplied() - eventsBefore;

            assertEquals((long)MESSAGES_PER_ROUND * (2 * DEPTH) + MESSAGES_PER_ROUND / 2, events, "events of the measured round");
            final double perEvent = (double)bytes / events;
            assertTrue(perEvent < MAX_BYTES_PER_EVENT, "the book stage's thread allocated " + bytes + " B over " + events + " events");
            assertEquals(0, reader.violations(), () -> "torn read: " + reader.firstViolation());
            final long batchesAtLeast = pipeline.metrics().published() / RING_SIZE; // a batch never holds more than the ring
            assertTrue(reader.validReads() + reader.abandonedReads() >= batchesAtLeast,
                "the reader read " + (reader.validReads() + reader.abandonedReads()) + " times, fewer than the " + batchesAtLeast + " batches there must have been");
            assertTrue(reader.abandonedReads() * 100 <= reader.validReads(), () -> "at most 1 % of reads abandoned after "
                + "their bounded attempts: " + reader.abandonedReads() + " of " + (reader.validReads() + reader.abandonedReads()));

            final long lastSequence = source.lastSequencePublished();
            final OrderBookView book = books.view().book(source.instrumentId());
            final long stamp = book.readStamp();
            final BookState state = book.state();
            final long sequence = book.lastSequence();
            final int bids = book.bidDepth();
            final long bestBidQuantity = book.bidQuantity(0);
            assertTrue(book.validate(stamp), "the pipeline is idle: the stamp is even and stable");
            assertEquals(BookState.VALID, state);
            assertEquals(lastSequence, sequence);
            assertEquals((lastSequence & 1) == 0 ? DEPTH - 1 : DEPTH, bids);
            assertEquals(lastSequence, bestBidQuantity);
            assertEquals(1 + (long)MESSAGES_PER_ROUND * (WARM_UP_ROUNDS + 1), books.messages());
            assertEquals(0, books.rejectedEvents());
            assertEquals(0, books.crossedBooks());
            assertEquals(0, book instanceof OrderBook owned ? owned.growths() : -1, "no growth at depth " + DEPTH);
            System.out.printf("book-reads: book stage %d B over %d events (%.4f B/event); reader %d valid reads, %d retries%n",
                bytes, events, perEvent, reader.validReads(), reader.retries());
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
    }

    @Test
    void shouldMarkACrossedBookStaleAndDeliverTheResyncRequestToItsSource()
    {
        final LadderBookSource source = new LadderBookSource(DEPTH, 100, 1, true);
        final OrderBookStage books = new OrderBookStage();
        final LadderReaderStage reader = new LadderReaderStage("books", DEPTH);
        final Pipeline pipeline = build(Pipeline.builder("book-cross").ringSize(1 << 10).source(source)
            .stage("books", () -> books).then("reader", () -> reader));
        try
        {
            pipeline.start();
            until(() -> source.resyncRequests() == 1, 10_000, "the resync request to reach the source");
            until(() -> reader.events() == pipeline.metrics().published(), 10_000, "the reader to see every event");
            final OrderBookView book = books.view().book(source.instrumentId());
            final long stamp = book.readStamp();
            final BookState state = book.state();
            final boolean crossed = book.isCrossed();
            assertTrue(book.validate(stamp));
            assertEquals(BookState.STALE, state);
            assertTrue(crossed);
            assertEquals(1, books.crossedBooks());
            assertEquals(1, books.resyncsRequested());
            assertEquals(1, books.transitionsInto(BookState.STALE));
            assertEquals(0, reader.violations(), () -> "torn read: " + reader.firstViolation());
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
    }

    private static Pipeline build(final PipelineBuilder builder)
    {
        return new DisruptorPipelineEngine(reactor -> reactor.slowSliceThresholdNs(0)).create(builder.validate());
    }

    /** Waits (bounded) until the source finished the round and both stages handled everything published. */
    private static void awaitRound(final Pipeline pipeline, final LadderBookSource source, final OrderBookStage books,
        final LadderReaderStage reader, final int round)
    {
        until(() -> source.roundsDone() >= round, 60_000, "round " + round + " to be published");
        until(() -> books.messages() == 1 + (long)MESSAGES_PER_ROUND * round, 60_000, "round " + round + " to be applied");
        until(() -> reader.events() == pipeline.metrics().published(), 60_000, "round " + round + " to be read");
    }

    private static void until(final BooleanSupplier condition, final long timeoutMs, final String what)
    {
        BoundedWait.until(condition, timeoutMs, what);
    }

    private static Thread threadNamed(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals(name))
            {
                return thread;
            }
        }
        throw new AssertionError("no thread named " + name);
    }

    private static void closeAndAssertNoThreads(final Pipeline pipeline)
    {
        pipeline.close();
        final List<String> left = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.isAlive() && thread.getName().startsWith(pipeline.name() + '-'))
            {
                left.add(thread.getName());
            }
        }
        assertEquals(List.of(), left, "threads left behind by pipeline " + pipeline.name());
    }
}
