package io.loom.runtime.metrics;

/**
 * The metrics endpoint could not listen: the port is in use, the host does not resolve or is not
 * an address of this machine. The message names the host and the port.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class MetricsEndpointException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int port;

    /**
     * @param host  the host it was to listen on.
     * @param port  the port.
     * @param cause why it could not.
     */
    public MetricsEndpointException(final String host, final int port, final Exception cause)
    {
        super("metrics endpoint: cannot listen on " + host + ":" + port + ": " + reason(cause), cause);
        this.port = port;
    }

    /** @return the port it could not listen on. */
    public int port()
    {
        return port;
    }

    private static String reason(final Exception cause)
    {
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
