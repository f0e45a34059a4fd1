package io.loom.runtime.metrics;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@link MetricsExport} does: serve {@code /metrics} on {@code host:port} (unless the port is
 * {@link #NO_ENDPOINT}) and write latency histogram files into {@code histogramsDirectory} when it
 * closes (unless that is null). Validated when made.
 *
 * @param host                the address the endpoint binds; {@link #LOOPBACK} by default.
 * @param port                the endpoint's port, 0 for any free one, or {@link #NO_ENDPOINT}.
 * @param histogramsDirectory where the .hgrm and .hlog files go, or null for none.
 */
public record MetricsConfig(String host, int port, Path histogramsDirectory)
{
    /** The port value that means "no endpoint". */
    public static final int NO_ENDPOINT = -1;
    /** The default host: metrics are not served beyond this machine unless asked. */
    public static final String LOOPBACK = "127.0.0.1";
    /** Nothing served, nothing written. */
    public static final MetricsConfig NONE = new MetricsConfig(LOOPBACK, NO_ENDPOINT, null);

    /**
     * @throws IllegalArgumentException if the port is not {@link #NO_ENDPOINT} or 0..65535, or the host is blank.
     */
    public MetricsConfig
    {
        Objects.requireNonNull(host, "host");
        if (host.isBlank())
        {
            throw new IllegalArgumentException("the metrics host is blank");
        }
        if (port != NO_ENDPOINT && (port < 0 || port > 65_535))
        {
            throw new IllegalArgumentException("the metrics port must be 0..65535, not " + port);
        }
    }

    /** @return true if an endpoint is to be served. */
    public boolean servesEndpoint()
    {
        return port != NO_ENDPOINT;
    }
}
