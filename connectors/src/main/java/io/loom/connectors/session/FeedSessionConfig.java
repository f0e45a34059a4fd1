package io.loom.connectors.session;

import io.loom.runtime.net.TcpOptions;
import io.loom.runtime.net.tls.TlsContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The operator's settings of one {@link FeedSession}. Start from {@link #forVenue(VenueProtocol)},
 * which takes the venue's own limits, and change what you need with the {@code with…} methods.
 *
 * <p>Thread-safety: immutable.
 *
 * @param tls                       TLS for {@code wss://} and {@code https://}; null for the secure
 *                                  defaults (JDK trust store, hostname verification).
 * @param connectTimeoutNs          bound on resolving and connecting (TCP), positive; TLS and the
 *                                  WebSocket handshake have their own timeouts.
 * @param readSilenceTimeoutNs      a connection that delivers no message for this long is taken for
 *                                  dead and replaced, positive.
 * @param maxConnectionAgeNs        a connection this old is closed and replaced before the venue
 *                                  drops it, positive ({@link Long#MAX_VALUE}: never).
 * @param applicationPingIntervalNs how often the venue's application-level ping is sent (0: never).
 * @param pollIntervalNs            how long the connection fiber waits for a message before it
 *                                  looks at its other work (queued requests, snapshots, silence),
 *                                  positive.
 * @param reconnect                 back-off between connection attempts.
 * @param snapshots                 REST snapshot budget and back-off.
 * @param tcp                       the stream connection's TCP settings ({@link TcpOptions#DEFAULTS}; delayed
 *                                  ACKs are opt-in, see {@link TcpOptions}); REST requests keep the defaults.
 */
public record FeedSessionConfig(
    TlsContext tls,
    long connectTimeoutNs,
    long readSilenceTimeoutNs,
    long maxConnectionAgeNs,
    long applicationPingIntervalNs,
    long pollIntervalNs,
    ReconnectPolicy reconnect,
    SnapshotPolicy snapshots,
    TcpOptions tcp)
{
    /** How long before the venue's own limit a connection is replaced. */
    static final long LIFETIME_MARGIN_NS = TimeUnit.MINUTES.toNanos(10);

    /** Validates. */
    public FeedSessionConfig
    {
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(tcp, "tcp");
        if (connectTimeoutNs <= 0 || readSilenceTimeoutNs <= 0 || maxConnectionAgeNs <= 0 || applicationPingIntervalNs < 0 ||
            pollIntervalNs <= 0)
        {
            throw new IllegalArgumentException("FeedSessionConfig: timeouts and intervals must be positive (ping interval 0 or more): connect " +
                connectTimeoutNs + ", silence " + readSilenceTimeoutNs + ", max age " + maxConnectionAgeNs + ", ping " +
                applicationPingIntervalNs + ", poll " + pollIntervalNs);
        }
    }

    /**
     * The defaults for a venue: secure TLS defaults, 10 s connect timeout, the venue's read-silence
     * timeout, connections replaced 10 minutes before the venue's lifetime limit (or at half of it
     * when it is shorter than 20 minutes), an application ping every 30 s where the venue has one,
     * a 20 ms poll interval, {@link ReconnectPolicy#defaults()}, {@link SnapshotPolicy#defaults()} and
     * {@link TcpOptions#DEFAULTS}.
     *
     * @param protocol the venue.
     * @return the configuration.
     */
    public static FeedSessionConfig forVenue(final VenueProtocol protocol)
    {
        final long lifetimeNs = protocol.maxConnectionLifetimeNs();
        final long maxAgeNs = lifetimeNs == Long.MAX_VALUE ? Long.MAX_VALUE
            : lifetimeNs > 2 * LIFETIME_MARGIN_NS ? lifetimeNs - LIFETIME_MARGIN_NS : Math.max(1, lifetimeNs / 2);
        final long pingNs = protocol.encodePing(new UnsafeBuffer(new byte[64]), 0) > 0
            ? TimeUnit.SECONDS.toNanos(30) : 0;
        return new FeedSessionConfig(null, TimeUnit.SECONDS.toNanos(10), protocol.readSilenceTimeoutNs(), maxAgeNs, pingNs,
            TimeUnit.MILLISECONDS.toNanos(20), ReconnectPolicy.defaults(), SnapshotPolicy.defaults(),
            TcpOptions.DEFAULTS);
    }

    /** @param context TLS settings (a private CA, for example). @return a copy with them */
    public FeedSessionConfig withTls(final TlsContext context)
    {
        return new FeedSessionConfig(context, connectTimeoutNs, readSilenceTimeoutNs, maxConnectionAgeNs, applicationPingIntervalNs,
            pollIntervalNs, reconnect, snapshots, tcp);
    }

    /** @param timeoutNs the read-silence timeout. @return a copy with it */
    public FeedSessionConfig withReadSilenceTimeoutNs(final long timeoutNs)
    {
        return new FeedSessionConfig(tls, connectTimeoutNs, timeoutNs, maxConnectionAgeNs, applicationPingIntervalNs,
            pollIntervalNs, reconnect, snapshots, tcp);
    }

    /** @param ageNs the age at which a connection is replaced. @return a copy with it */
    public FeedSessionConfig withMaxConnectionAgeNs(final long ageNs)
    {
        return new FeedSessionConfig(tls, connectTimeoutNs, readSilenceTimeoutNs, ageNs, applicationPingIntervalNs,
            pollIntervalNs, reconnect, snapshots, tcp);
    }

    /** @param intervalNs the application-level ping interval, 0 for none. @return a copy with it */
    public FeedSessionConfig withApplicationPingIntervalNs(final long intervalNs)
    {
        return new FeedSessionConfig(tls, connectTimeoutNs, readSilenceTimeoutNs, maxConnectionAgeNs, intervalNs,
            pollIntervalNs, reconnect, snapshots, tcp);
    }

    /** @param policy the reconnect back-off. @return a copy with it */
    public FeedSessionConfig withReconnect(final ReconnectPolicy policy)
    {
        return new FeedSessionConfig(tls, connectTimeoutNs, readSilenceTimeoutNs, maxConnectionAgeNs, applicationPingIntervalNs,
            pollIntervalNs, policy, snapshots, tcp);
    }

    /** @param policy the snapshot budget and back-off. @return a copy with it */
    public FeedSessionConfig withSnapshots(final SnapshotPolicy policy)
    {
        return new FeedSessionConfig(tls, connectTimeoutNs, readSilenceTimeoutNs, maxConnectionAgeNs, applicationPingIntervalNs,
            pollIntervalNs, reconnect, policy, tcp);
    }

    /** @param options the stream connection's TCP settings (e.g. {@link TcpOptions#withDelayedAcks()}). @return a copy with them */
    public FeedSessionConfig withTcp(final TcpOptions options)
    {
        return new FeedSessionConfig(tls, connectTimeoutNs, readSilenceTimeoutNs, maxConnectionAgeNs, applicationPingIntervalNs,
            pollIntervalNs, reconnect, snapshots, options);
    }
}
