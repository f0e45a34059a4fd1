package io.loom.runtime.net.tls;

/**
 * A {@link TlsContext} asks for a {@link TlsEngineProvider} that cannot run here: its optional
 * artifact is not on the class path, or its native library does not load on this platform. A
 * configuration error, thrown by {@link TlsContext#conclude()}; the message and
 * {@link #missingArtifact()} say what to add.
 *
 * <p>Thread-safety: immutable.
 */
public final class TlsEngineUnavailableException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /** Maven coordinates of what is missing. */
    private final String missingArtifact;

    TlsEngineUnavailableException(final TlsEngineProvider provider, final String missingArtifact, final String why, final Throwable cause)
    {
        super("TlsContext: TLS engine " + provider + " is unavailable: " + why + "; add " + missingArtifact +
            " to the class path, or use TlsEngineProvider.JDK", cause);
        this.missingArtifact = missingArtifact;
    }

    /**
     * What to add to the class path.
     *
     * @return Maven coordinates, e.g. {@code io.netty:netty-tcnative-boringssl-static:linux-x86_64}.
     */
    public String missingArtifact()
    {
        return missingArtifact;
    }
}
