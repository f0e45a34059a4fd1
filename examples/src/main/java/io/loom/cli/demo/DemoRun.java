package io.loom.cli.demo;

import io.loom.api.book.OrderBookView;
import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineBuilder;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.replay.ReplaySource;
import io.loom.connectors.replay.ReplaySpeed;
import io.loom.connectors.session.SessionCounter;
import io.loom.connectors.verify.CaptureVerification;
import io.loom.connectors.verify.CaptureVerifier;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.book.WireToBookLatencyStage;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.journal.JournalException;
import io.loom.runtime.journal.RecordCursor;
import io.loom.runtime.net.tls.TlsContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;

/**
 * {@code loom demo} end to end: Loom's main job on bundled real recordings, checked.
 *
 * <pre>
 *   1 offline    capture ─▶ CaptureVerifier ─▶ instruments, reference books, checks
 *   2 live       capture ─▶ ExchangeSimulator ─wss (self-signed, trusted exactly)─▶ FeedSession ┐ one per recording,
 *                                                          journal tap ─▶ JournalWriter ◀────────┘ all on one pipeline
 *                ring ─▶ books-i (SourceFilterStage(i) ─▶ OrderBookStage) ─▶ latency (WireToBookLatencyStage)
 *                sampler ─▶ LiveView (ANSI table or plain lines)
 *   3 replay     journal i ─▶ ReplaySource (max speed) ─▶ OrderBookStage ─▶ digest == live digest i ?
 *   4 verdict    live books == reference books, no failed check, gap or error, digests equal
 * </pre>
 *
 * <p>All book and latency stages share one stage thread; every connector fiber shares the
 * pipeline's one reactor. Every thread it starts (simulators, pipeline, journal writers, replay
 * pipelines) has ended when {@link #run()} returns.
 *
 * <p>Thread-safety: one instance per run, used by one thread.
 */
public final class DemoRun
{
    private static final long REPLAY_TIMEOUT_S = 60;

    private final DemoSettings settings;

    /** @param settings how to run. */
    public DemoRun(final DemoSettings settings)
    {
        this.settings = settings;
    }

    /**
     * Runs the demo: offline references, the live run with its view, the replays, the verdict.
     *
     * @return the report.
     * @throws IOException          if a bundled recording cannot be read, or a journal made (a {@link JournalException}).
     * @throws InterruptedException if the thread is interrupted.
     */
    public DemoReport run() throws IOException, InterruptedException
    {
        final long startNs = System.nanoTime();
        final SelfSignedCertificate certificate = SelfSignedCertificate.generate();
        final KeyManagerFactory keys = certificate.keyManagers();
        final TlsContext tls = new TlsContext().trustCertificates(certificate.certificate());
        final boolean temporary = settings.journalDir() == null;
        final Path journalRoot = temporary ? Files.createTempDirectory("loom-demo-") : Files.createDirectories(settings.journalDir());
        final List<DemoSession> sessions = new ArrayList<>();
        try
        {
            for (final BundledSession bundled : settings.sessions())
            {
                final Capture capture = Capture.load(settings.capturesDir().resolve(bundled.path()));
                final CaptureVerification offline = CaptureVerifier.verify(capture);
                final Path journal = journalRoot.resolve(sessions.size() + "-" + bundled.label().replace('/', '_'));
                final DemoSession session = new DemoSession(bundled, capture, offline, keys, tls, Math.min(bundled.maxSpeed(), speed(capture)), journal);
                sessions.add(session);
                settings.faults().accept(bundled, session.simulator().faults());
            }
            final LiveResult live = runLive(sessions, startNs);
            final List<SessionOutcome> outcomes = new ArrayList<>();
            for (final DemoSession session : sessions)
            {
                outcomes.add(outcome(session, live.instruments()));
            }
            return new DemoReport(outcomes, live.latency(), live.timeout(), System.nanoTime() - startNs);
        }
        finally
        {
            for (final DemoSession session : sessions)
            {
                session.close();
            }
            if (temporary)
            {
                deleteRecursively(journalRoot);
            }
        }
    }

    /**
     * Runs the pipeline until every stream ended or the timeout, showing the view; closes the
     * pipeline (its stages have consumed everything published) and the journals.
     *
     * @return the live pipeline's instruments, its latency summary, and why the run was cut short (empty if it was not).
     */
    private LiveResult runLive(final List<DemoSession> sessions, final long startNs) throws InterruptedException
    {
        final WireToBookLatencyStage latency = WireToBookLatencyStage.live();
        final PipelineBuilder builder = Pipeline.builder("demo");
        final String[] bookStages = new String[sessions.size()];
        for (int i = 0; i < sessions.size(); i++)
        {
            final DemoSession session = sessions.get(i);
            final int sourceId = i + 1;
            bookStages[i] = "books-" + i;
            builder.source(new NamedSource(session.bundled().label(), session.session()))
                .stage(bookStages[i], () -> new SourceFilterStage(sourceId, session.books()));
            if (i > 0)
            {
                builder.onThreadOf(bookStages[0]);
            }
        }
        builder.stage("latency", () -> latency).after(bookStages).onThreadOf(bookStages[0]);
        String timeout = "";
        final InstrumentRegistry instruments;
        final LatencySummary summary;
        try (Pipeline pipeline = builder.build())
        {
            final DemoViewSampler sampler = new DemoViewSampler(sessions, pipeline.instruments(), latency, System.nanoTime());
            pipeline.start();
            final long deadlineNs = System.nanoTime() + settings.timeoutNs();
            while (!allEnded(sessions, pipeline.instruments()))
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    timeout = "the streams did not end within " + TimeUnit.NANOSECONDS.toSeconds(settings.timeoutNs()) + " s";
                    break;
                }
                if (journalFailed(sessions))
                {
                    break;
                }
                TimeUnit.NANOSECONDS.sleep(settings.refreshNs());
                settings.view().show(sampler.sample(System.nanoTime()), System.nanoTime() - startNs);
            }
            pipeline.close();
            settings.view().showFinal(sampler.sample(System.nanoTime()), System.nanoTime() - startNs);
            instruments = pipeline.instruments();
            summary = LatencySummary.of(sampler.overall(), latency.unmeasured(), latency.clamped());
        }
        for (final DemoSession session : sessions)
        {
            session.writer().awaitDrained(TimeUnit.SECONDS.toNanos(30));
        }
        return new LiveResult(timeout, instruments, summary);
    }

    private static SessionOutcome outcome(final DemoSession session, final InstrumentRegistry liveInstruments) throws InterruptedException
    {
        final List<String> disagreements = new ArrayList<>();
        final List<Instrument> filled = session.filledInstruments();
        int verified = 0;
        for (final Instrument reference : filled)
        {
            final OrderBookView liveBook = session.liveBook(liveInstruments, reference);
            final String difference = TopLevelsComparison.difference(session.offline().books().book(reference.id()), liveBook,
                session.bundled().comparedLevels());
            if (difference == null)
            {
                verified++;
            }
            else
            {
                disagreements.add(reference.symbol() + " " + difference);
            }
        }
        String failure = "";
        long replayDigest = 0;
        session.writer().close();
        if (session.journalFailure() != null)
        {
            failure = "the journal failed: " + session.journalFailure().getMessage();
        }
        else if (session.writer().refused() > 0)
        {
            failure = session.writer().refused() + " record(s) were not journaled";
        }
        else
        {
            try
            {
                replayDigest = replayDigest(session.journal());
            }
            catch (final IOException | IllegalStateException ex)
            {
                failure = "the journal could not be replayed: " + ex.getMessage();
            }
        }
        final String lastError = session.session().feed() == null || session.session().feed().counters().lastError() == null
            ? "" : session.session().feed().counters().lastError();
        return new SessionOutcome(session.bundled().label(), session.offline().venueId(), filled.size(), verified, disagreements,
            session.checksOk(), session.checksFailed(),
            session.feedCounter(FeedCounter.GAPS), session.feedCounter(FeedCounter.ERRORS), lastError,
            session.session().counters().get(SessionCounter.MESSAGES_RECEIVED), session.recordedFrames(),
            session.books().view().digest(), replayDigest, failure);
    }

    private static long replayDigest(final Path journal) throws IOException, InterruptedException
    {
        final ReplaySource replay = new ReplaySource("demo-replay", journal, ReplaySpeed.MAX, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
        final OrderBookStage books = new OrderBookStage();
        try (Pipeline pipeline = Pipeline.builder("demo-replay").clock(replay.clock()).source(replay).stage("books", () -> books).build())
        {
            pipeline.start();
            if (!replay.awaitFinished(REPLAY_TIMEOUT_S, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("the replay did not finish within " + REPLAY_TIMEOUT_S + " s");
            }
        }
        if (replay.failure() != null)
        {
            throw new IllegalStateException(replay.failure().getMessage());
        }
        return books.view().digest();
    }

    /** The recording's pace: its span played in about {@code paceNs}. */
    private double speed(final Capture capture)
    {
        final long spanNs = capture.size() < 2 ? 0 : capture.recvNs(capture.size() - 1) - capture.recvNs(0);
        return Math.max(1e-3, (double)spanNs / settings.paceNs());
    }

    private static boolean allEnded(final List<DemoSession> sessions, final InstrumentRegistry instruments)
    {
        final long nowNs = System.nanoTime();
        boolean ended = true;
        for (final DemoSession session : sessions)
        {
            ended &= session.ended(instruments, nowNs);
        }
        return ended;
    }

    private static boolean journalFailed(final List<DemoSession> sessions)
    {
        for (final DemoSession session : sessions)
        {
            if (session.journalFailure() != null)
            {
                return true;
            }
        }
        return false;
    }

    /** What the live run left for the outcomes. */
    private record LiveResult(String timeout, InstrumentRegistry instruments, LatencySummary latency)
    {
    }

    private static void deleteRecursively(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
