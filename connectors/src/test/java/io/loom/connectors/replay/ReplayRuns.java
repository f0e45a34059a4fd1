package io.loom.connectors.replay;

import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineBuilder;
import io.loom.api.source.Source;
import io.loom.api.stage.DetachedStageContext;
import io.loom.connectors.feed.InlineEventPublisher;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.journal.RecordCursor;
import org.agrona.DirectBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test helpers: a replay through a real pipeline (replay fiber → ring → order-book stage), the same
 * records replayed inline without a pipeline, and the bundled captures.
 *
 * <p>Thread-safety: stateless.
 */
final class ReplayRuns
{
    private ReplayRuns()
    {
    }

    /** What a pipeline replay ended with. */
    record Outcome(long digest, long records, long events, long wallNs, OrderBookStage books)
    {
    }

    /** Replays through a pipeline; {@code before} are sources started ahead of the replay. */
    static Outcome throughPipeline(final ReplaySource replay, final Source... before) throws InterruptedException
    {
        final OrderBookStage books = new OrderBookStage();
        final PipelineBuilder builder = Pipeline.builder("replay-test").ringSize(1 << 12).clock(replay.clock());
        for (final Source other : before)
        {
            builder.source(other);
        }
        builder.source(replay);
        final long startNs = System.nanoTime();
        try (Pipeline pipeline = builder.stage("books", () -> books).build())
        {
            pipeline.start();
            assertTrue(replay.awaitFinished(120, TimeUnit.SECONDS), "replay finished");
        }
        final long wallNs = System.nanoTime() - startNs;
        assertNull(replay.failure());
        assertTrue(replay.completed(), "replay completed");
        return new Outcome(books.view().digest(), replay.recordsReplayed(), books.eventsApplied(), wallNs, books);
    }

    static long inline(final Path input) throws Exception
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final OrderBookStage books = new OrderBookStage();
        books.onStart(new DetachedStageContext("books", registry, instrumentId -> { }));
        final RecordedSessionFeeds feeds = new RecordedSessionFeeds(registry, new InlineEventPublisher(books, 1, 4096));
        try (RecordCursor records = RecordCursor.open(input, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO))
        {
            while (records.next())
            {
                final DirectBuffer payload = records.payload();
                feeds.onRecord(records.venue(), records.conn(), records.kind(), payload, 0, payload.capacity(), records.recvNs());
            }
        }
        return books.view().digest();
    }

    static long[] receiveTimes(final Path input, final long toNs) throws Exception
    {
        long[] times = new long[1024];
        int count = 0;
        try (RecordCursor records = RecordCursor.open(input, RecordCursor.NO_BOUND_FROM, toNs))
        {
            while (records.next())
            {
                if (count == times.length)
                {
                    times = java.util.Arrays.copyOf(times, count * 2);
                }
                times[count++] = records.recvNs();
            }
        }
        return java.util.Arrays.copyOf(times, count);
    }

    static Path capture(final String relative)
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path file = dir.resolve("data").resolve("captures").resolve(relative);
            if (Files.isRegularFile(file))
            {
                return file;
            }
        }
        throw new AssertionError("missing bundled capture " + relative);
    }
}
