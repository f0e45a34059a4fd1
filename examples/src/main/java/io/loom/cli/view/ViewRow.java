package io.loom.cli.view;

/**
 * One line of the live terminal view: one instrument of one venue, as a sampler read it.
 *
 * @param venue        the venue id ({@code binance-spot}, {@code kraken-v1}).
 * @param instrument   the venue's symbol.
 * @param state        the book's state ({@code VALID}, {@code SYNCING}, {@code STALE}) or {@code -} without a book.
 * @param bid          the best bid price as a decimal, or {@code -}.
 * @param ask          the best ask price as a decimal, or {@code -}.
 * @param spread       ask minus bid as a decimal, or {@code -}.
 * @param updatesPerS  book messages applied per second over the last sampling interval.
 * @param checksOk     the venue's checks that passed (checksums, ticker cross-checks) on this instrument's session.
 * @param checksFailed the checks that failed.
 * @param p50Ns        wire-to-book latency, median, ns (0 before the first message).
 * @param p99Ns        99th percentile, ns.
 * @param p999Ns       99.9th percentile, ns.
 */
public record ViewRow(
    String venue,
    String instrument,
    String state,
    String bid,
    String ask,
    String spread,
    double updatesPerS,
    long checksOk,
    long checksFailed,
    long p50Ns,
    long p99Ns,
    long p999Ns)
{
}
