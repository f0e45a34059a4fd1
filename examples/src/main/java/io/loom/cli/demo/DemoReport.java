package io.loom.cli.demo;

import io.loom.runtime.book.BookChangeDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's result: one {@link SessionOutcome} per bundled recording, whether the streams ended
 * in time, and the verdict.
 *
 * <pre>
 *   demo session=kraken-v1/10pairs_book1000_2021-04-17 books=10/10 verified checks_ok=4269 checks_failed=0 gaps=0 errors=0 frames=4321/4321 digest live=… replay=… match
 *   demo latency wire_to_book messages=… p50_us=… p99_us=… p999_us=… max_us=… unmeasured=0 clamped=0
 *   demo verdict: PASS books=16/16 verified checks=5876/5876 ok digests=4/4 match live=… replay=… duration_s=24.1
 * </pre>
 *
 * <p>The combined digests fold the sessions' digests in session order (a multiply-rotate step
 * from {@link BookChangeDigest#SEED}): equal combined digests mean every session's digests are equal.
 *
 * @param sessions  per recording, in order.
 * @param latency   wire-to-book latency over the live run.
 * @param timeout   empty, or why the live run was cut short (the streams did not end in time).
 * @param elapsedNs the whole demo's duration.
 */
public record DemoReport(List<SessionOutcome> sessions, LatencySummary latency, String timeout, long elapsedNs)
{
    /** Copies the list. */
    public DemoReport
    {
        sessions = List.copyOf(sessions);
    }

    /** @return true when every session passed and the streams ended in time. */
    public boolean passed()
    {
        return reasons().isEmpty();
    }

    /** @return why the demo failed, {@code <session>: <reason>} each; empty when it passed. */
    public List<String> reasons()
    {
        final List<String> reasons = new ArrayList<>();
        if (!timeout.isEmpty())
        {
            reasons.add(timeout);
        }
        for (final SessionOutcome session : sessions)
        {
            for (final String reason : session.reasons())
            {
                reasons.add(session.label() + ": " + reason);
            }
        }
        return reasons;
    }

    /** @return the report: a line per session, the latency line, then the verdict line (last). */
    public List<String> lines()
    {
        final List<String> lines = new ArrayList<>();
        sessions.forEach(session -> lines.add(session.line()));
        lines.add(latency.line());
        lines.add(verdictLine());
        return lines;
    }

    /** @return {@code demo verdict: PASS …} or {@code demo verdict: FAIL … reasons: …}. */
    public String verdictLine()
    {
        int books = 0;
        int verified = 0;
        long checksOk = 0;
        long checks = 0;
        int matching = 0;
        long live = BookChangeDigest.SEED;
        long replay = BookChangeDigest.SEED;
        for (final SessionOutcome session : sessions)
        {
            books += session.books();
            verified += session.booksVerified();
            checksOk += session.checksOk();
            checks += session.checksOk() + session.checksFailed();
            matching += session.digestsMatch() ? 1 : 0;
            live = fold(live, session.liveDigest());
            replay = fold(replay, session.replayDigest());
        }
        final List<String> reasons = reasons();
        return "demo verdict: " + (reasons.isEmpty() ? "PASS" : "FAIL") +
            " books=" + verified + "/" + books + " verified" +
            " checks=" + checksOk + "/" + checks + " ok" +
            " digests=" + matching + "/" + sessions.size() + " match" +
            " live=" + BookChangeDigest.hex(live) +
            " replay=" + BookChangeDigest.hex(replay) +
            String.format(Locale.ROOT, " duration_s=%.1f", elapsedNs / 1e9) +
            (reasons.isEmpty() ? "" : " reasons: " + String.join("; ", reasons));
    }

    private static long fold(final long combined, final long digest)
    {
        return Long.rotateLeft(combined ^ digest, 27) * 0x9E3779B97F4A7C15L;
    }
}
