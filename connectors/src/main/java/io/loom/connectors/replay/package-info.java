/**
 * Replay of recorded sessions (journals and text captures) through the same venue feeds, book sync
 * and stages as live connections, at any pace, with the pipeline's clock following recorded time.
 *
 * <pre>
 *   journal dir | capture.gz ──RecordCursor──▶ ReplaySource fiber ──pace (max | xN | step)──▶ clock.advanceTo(recv_ns)
 *                                                     │                                         (due timers fire first)
 *                                                     └──▶ RecordedSessionFeeds ──▶ VenueFeed per connection ──▶ ring ──▶ stages
 * </pre>
 */
package io.loom.connectors.replay;
