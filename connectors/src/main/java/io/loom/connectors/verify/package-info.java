/**
 * Offline verification of recorded sessions: a capture's frames through its venue's
 * {@link io.loom.connectors.feed.VenueFeed} (decoder, book sync and the venue's own checks) into an
 * order-book stage, without sockets, as fast as possible. What {@code loom verify} runs, and the
 * reference live runs through the exchange simulator are compared with.
 */
package io.loom.connectors.verify;
