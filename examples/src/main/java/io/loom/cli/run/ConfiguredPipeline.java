package io.loom.cli.run;

import io.loom.api.book.OrderBooks;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineBuilder;
import io.loom.api.pipeline.StageSpec;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageView;
import io.loom.connectors.record.JournalTapProtocol;
import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.FeedSessionConfig;
import io.loom.connectors.session.VenueProtocol;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalException;
import io.loom.runtime.journal.JournalFailureListener;
import io.loom.runtime.journal.JournalWriter;
import io.loom.runtime.net.tls.TlsContext;
import io.loom.runtime.pipeline.DisruptorPipelineEngine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline a {@link RunConfig} describes, built and ready to start: one {@link FeedSession} per
 * source (recording through a {@link JournalTapProtocol} when the config has a journal, connection
 * number = the source's index), the configured stages, and a reactor with the configured idle
 * strategy.
 *
 * <pre>
 *   $.sources[0] ─ws(s)─▶ FeedSession ─┐                        ┌─▶ $.stages[0] (e.g. OrderBookStage ──▶ digest)
 *   $.sources[1] ─ws(s)─▶ FeedSession ─┼─▶ ring ($.ringSize) ───┤
 *          (journal tap ──▶ $.journal) ┘   $.backpressure       └─▶ $.stages[1] ...
 * </pre>
 *
 * <p>Thread-safety: {@link #build}, {@link #start} and {@link #close} from one thread; the
 * accessors from any thread once built.
 */
public final class ConfiguredPipeline implements AutoCloseable
{
    private final RunConfig config;
    private final List<FeedSession> sessions;
    private final Map<String, Stage> stages;
    private final JournalWriter journal;
    private final Pipeline pipeline;

    private ConfiguredPipeline(
        final RunConfig config, final List<FeedSession> sessions, final Map<String, Stage> stages, final JournalWriter journal,
        final Pipeline pipeline)
    {
        this.config = config;
        this.sessions = List.copyOf(sessions);
        this.stages = stages;
        this.journal = journal;
        this.pipeline = pipeline;
    }

    /**
     * Builds the pipeline (not started); opens the journal, if any.
     *
     * @param config         a validated config.
     * @param source         what the journal's header names as the recording's source ("loom run binance-kraken.json").
     * @param journalFailure told when the journal fails (under STOP_PIPELINE it should stop the run); unused without a journal.
     * @return the pipeline, to start.
     * @throws JournalException if the journal cannot be opened.
     */
    public static ConfiguredPipeline build(final RunConfig config, final String source, final JournalFailureListener journalFailure)
        throws JournalException
    {
        final JournalWriter journal = config.journal() == null ? null : JournalWriter.start(new JournalContext()
            .directory(config.journal().directory())
            .header(CaptureHeader.of(config.sources().getFirst().venue(), source))
            .failurePolicy(config.journal().onFailure())
            .failureListener(journalFailure)
            .avoidCpu(config.reactorCpu()));
        try
        {
            final PipelineBuilder builder = Pipeline.builder(config.name()).ringSize(config.ringSize())
                .overflowCapacity(config.overflowCapacity()).backpressure(config.backpressure()).waitStrategy(config.waitStrategy())
                .pinning(config.pinning()).reactorCpu(config.reactorCpu());
            final List<FeedSession> sessions = new ArrayList<>();
            for (int i = 0; i < config.sources().size(); i++)
            {
                final FeedSession session = session(config.sources().get(i), journal, i);
                sessions.add(session);
                builder.source(session);
            }
            final Map<String, Stage> stages = Collections.synchronizedMap(new LinkedHashMap<>());
            for (final StageConfig stage : config.stages())
            {
                builder.stage(new StageSpec(stage.name(), () ->
                {
                    final Stage made = stage.factory().create();
                    stages.put(stage.name(), made);
                    return made;
                }, stage.after(), stage.cpu(), stage.threadOf(), stage.sink(), stage.errorPolicy()));
            }
            final Pipeline pipeline = new DisruptorPipelineEngine(reactor -> reactor.idle(config.reactorIdle())).create(builder.validate());
            return new ConfiguredPipeline(config, sessions, stages, journal, pipeline);
        }
        catch (final RuntimeException ex)
        {
            if (journal != null)
            {
                journal.close();
            }
            throw ex;
        }
    }

    private static FeedSession session(final SourceConfig source, final JournalWriter journal, final int conn)
    {
        final VenueProtocol venue = SourceProtocols.protocol(source);
        final VenueProtocol protocol = journal == null ? venue : new JournalTapProtocol(venue, journal, conn);
        final TlsContext tls = new TlsContext();
        if (source.caCert() != null)
        {
            tls.trustPemFile(source.caCert());
        }
        return new FeedSession(protocol, FeedSessionConfig.forVenue(protocol).withTls(tls));
    }

    /** Starts the stages, the reactor and the sources. */
    public void start()
    {
        pipeline.start();
    }

    /** @return the config it was built from. */
    public RunConfig config()
    {
        return config;
    }

    /** @return the pipeline. */
    public Pipeline pipeline()
    {
        return pipeline;
    }

    /** @return the sessions, one per source, in the config's order. */
    public List<FeedSession> sessions()
    {
        return sessions;
    }

    /** @return the journal's writer, or null when the config has no journal. */
    public JournalWriter journal()
    {
        return journal;
    }

    /**
     * The read views of the stages that keep order books (such as {@code OrderBookStage}): stages
     * implementing {@link StageView} whose view is {@link OrderBooks}.
     *
     * @return stage name to books, in the config's order.
     */
    public Map<String, OrderBooks> books()
    {
        final Map<String, OrderBooks> books = new LinkedHashMap<>();
        for (final StageConfig stage : config.stages())
        {
            if (stages.get(stage.name()) instanceof StageView<?> view && view.view() instanceof OrderBooks orderBooks)
            {
                books.put(stage.name(), orderBooks);
            }
        }
        return books;
    }

    /**
     * The stages that are {@link OrderBookStage}s: they verify the books (crossed books, venues'
     * top-of-book quotes) and count what they found.
     *
     * @return stage name to stage, in the config's order.
     */
    public Map<String, OrderBookStage> bookStages()
    {
        final Map<String, OrderBookStage> bookStages = new LinkedHashMap<>();
        for (final StageConfig stage : config.stages())
        {
            if (stages.get(stage.name()) instanceof OrderBookStage books)
            {
                bookStages.put(stage.name(), books);
            }
        }
        return bookStages;
    }

    /** Closes the pipeline (sources stop, stages drain), then the journal, which drains what it was handed. */
    @Override
    public void close()
    {
        try
        {
            pipeline.close();
        }
        finally
        {
            if (journal != null)
            {
                journal.close();
            }
        }
    }
}
