package io.loom.runtime.net.tls;

import java.util.Locale;

/**
 * Checks that the optional artifacts of {@link TlsEngineProvider#OPENSSL} are on the class path
 * before any class naming them is loaded, and names what is missing.
 *
 * <p>Thread-safety: stateless.
 */
final class OpenSslAvailability
{
    private static final String NETTY_HANDLER = "io.netty:netty-handler";
    private static final String TCNATIVE = "io.netty:netty-tcnative-boringssl-static";

    private OpenSslAvailability()
    {
    }

    /** @throws TlsEngineUnavailableException naming the first missing artifact. */
    static void require()
    {
        requireClass("io.netty.handler.ssl.SslContextBuilder", NETTY_HANDLER);
        requireClass("io.netty.internal.tcnative.SSL", nativeArtifact());
    }

    /** netty-tcnative with this platform's classifier, e.g. {@code io.netty:netty-tcnative-boringssl-static:linux-x86_64}. */
    static String nativeArtifact()
    {
        final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        final String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        final String osPart = os.contains("mac") ? "osx" : os.contains("win") ? "windows" : "linux";
        final String archPart = arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
        return TCNATIVE + ':' + osPart + '-' + archPart;
    }

    private static void requireClass(final String className, final String artifact)
    {
        try
        {
            Class.forName(className, false, OpenSslAvailability.class.getClassLoader());
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            throw new TlsEngineUnavailableException(TlsEngineProvider.OPENSSL, artifact, className + " is not on the class path", ex);
        }
    }
}
