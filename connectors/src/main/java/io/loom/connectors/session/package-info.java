/**
 * Live venue sessions: a venue-agnostic {@link io.loom.connectors.session.FeedSession} (a pipeline
 * source of connector fibers: WebSocket connect, subscribe, receive into the venue's
 * {@link io.loom.connectors.feed.VenueFeed}, REST snapshots or resubscriptions on resync, silence
 * and lifetime limits, reconnect with back-off and full jitter), configured by a
 * {@link io.loom.connectors.session.VenueProtocol} per venue and a
 * {@link io.loom.connectors.session.FeedSessionConfig}.
 */
package io.loom.connectors.session;
