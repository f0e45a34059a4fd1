package io.loom.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * The text of {@code loom --version}: Loom's version, read from the {@code Implementation-Version}
 * entry of {@code loom.jar}'s manifest, and the Java runtime that runs it.
 *
 * <p>Thread-safety: stateless.
 */
public final class LoomVersionProvider implements IVersionProvider
{
    /** Shown when the classes were not loaded from {@code loom.jar} (an IDE, a test). */
    static final String UNKNOWN_VERSION = "(unknown version: not run from loom.jar)";

    /** Creates the provider; picocli calls it for {@code --version}. */
    public LoomVersionProvider()
    {
    }

    @Override
    public String[] getVersion()
    {
        final String version = LoomVersionProvider.class.getPackage().getImplementationVersion();
        return new String[]
        {
            "loom " + (version == null ? UNKNOWN_VERSION : version),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ", " +
                System.getProperty("java.home") + ")"
        };
    }
}
