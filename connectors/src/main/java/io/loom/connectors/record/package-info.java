/**
 * Recording live sessions into a journal: a {@link io.loom.connectors.session.VenueProtocol}
 * decorator whose feed appends every inbound frame and lifecycle record to a
 * {@link io.loom.runtime.journal.JournalWriter} before decoding it, with the same discovering feed
 * replay uses, so a recording replays through exactly the code that ran live.
 *
 * <pre>
 *   FeedSession ──▶ JournalTapFeed ──append──▶ JournalWriter ──▶ Chronicle Queue
 *                        └──▶ VenueFeed (discovering, as replay) ──▶ ring ──▶ stages
 * </pre>
 */
package io.loom.connectors.record;
