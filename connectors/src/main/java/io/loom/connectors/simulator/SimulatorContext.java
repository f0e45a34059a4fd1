package io.loom.connectors.simulator;

import io.loom.runtime.capture.Capture;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * Configuration of one {@link ExchangeSimulator}: the capture it serves, TLS or not, and the pace.
 * Fluent setters; {@link ExchangeSimulator#start} calls {@link #conclude()} once.
 *
 * <p>Thread-safety: not thread-safe; configure on one thread, then hand it to {@link ExchangeSimulator#start}.
 */
public final class SimulatorContext
{
    /** {@link #speed(double)} value that streams frames as fast as the client reads them. */
    public static final double AS_FAST_AS_POSSIBLE = 0.0;

    private Capture capture;
    private SSLContext sslContext;
    private double speed = AS_FAST_AS_POSSIBLE;
    private boolean recordedSnapshots;

    /**
     * The capture to serve: its venue ({@code #venue}) picks the protocol, and its conn 0 records
     * are the stream.
     *
     * @param capture a loaded capture of a supported venue: {@code binance-spot}, {@code binance-usdm},
     *                {@code binance-coinm} or {@code kraken-v1}.
     * @return this.
     */
    public SimulatorContext capture(final Capture capture)
    {
        this.capture = Objects.requireNonNull(capture, "capture");
        return this;
    }

    /**
     * Serves {@code wss://} and {@code https://} with this server-side TLS context (default: plain).
     *
     * @param sslContext an initialised context holding the server's key and certificate.
     * @return this.
     */
    public SimulatorContext tls(final SSLContext sslContext)
    {
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        return this;
    }

    /**
     * Serves {@code wss://} and {@code https://} with the key managers of this factory.
     *
     * @param keyManagers an initialised factory holding the server's key and certificate.
     * @return this.
     * @throws IllegalStateException if the JDK cannot make a TLS context from it.
     */
    public SimulatorContext tls(final KeyManagerFactory keyManagers)
    {
        try
        {
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return tls(context);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("cannot make a TLS context from the key managers", ex);
        }
    }

    /**
     * The pace: {@link #AS_FAST_AS_POSSIBLE} (default), or the recorded gaps between frames divided
     * by {@code speed} ({@code 1.0} = recorded pace, {@code 10.0} = ten times faster).
     *
     * @param speed 0, or a finite positive factor.
     * @return this.
     */
    public SimulatorContext speed(final double speed)
    {
        this.speed = speed;
        return this;
    }

    /**
     * Reproduces the recorded session faithfully (default: off): each REST snapshot request is
     * answered with the capture's next recorded snapshot of that symbol while one is left (after
     * that, from the reference book as usual), and the stream holds before the first recorded frame
     * that follows a recorded snapshot nobody has asked for yet, so a client never gets a snapshot
     * later in the stream than the recorder did. A client that never asks for a recorded snapshot
     * stalls the stream there. What a live run of such a session computes is what a replay of the
     * capture computes (see {@code LiveRecordingMatchesCaptureAcceptanceTest}).
     *
     * @param recordedSnapshots true to serve the recorded snapshots at their recorded positions.
     * @return this.
     */
    public SimulatorContext recordedSnapshots(final boolean recordedSnapshots)
    {
        this.recordedSnapshots = recordedSnapshots;
        return this;
    }

    /** @return the capture served. */
    public Capture capture()
    {
        return capture;
    }

    /** @return the TLS context, or null for plain {@code ws://}. */
    public SSLContext sslContext()
    {
        return sslContext;
    }

    /** @return whether REST requests get the recorded snapshots at their recorded positions. */
    public boolean recordedSnapshots()
    {
        return recordedSnapshots;
    }

    /** @return the speed factor, 0 for as fast as possible. */
    public double speed()
    {
        return speed;
    }

    /**
     * Validates the configuration.
     *
     * @return this.
     * @throws IllegalStateException if no capture is set, its venue is not supported, or the speed is invalid.
     */
    public SimulatorContext conclude()
    {
        if (capture == null)
        {
            throw new IllegalStateException("no capture set");
        }
        VenueProtocol.requireSupported(capture.header().venue());
        if (!(speed >= 0.0) || Double.isInfinite(speed))
        {
            throw new IllegalStateException("speed must be 0 (as fast as possible) or a finite positive factor: " + speed);
        }
        return this;
    }
}
