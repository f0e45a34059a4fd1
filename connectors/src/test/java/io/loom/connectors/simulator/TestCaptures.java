package io.loom.connectors.simulator;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository's bundled captures from a test: walks up from the working directory to the
 * first directory holding {@code data/captures}, so tests run alike from the module or the root.
 *
 * <p>Thread-safety: stateless.
 */
public final class TestCaptures
{
    private TestCaptures()
    {
    }

    /**
     * @return the {@code data/captures} directory.
     * @throws AssertionError if no parent of the working directory holds one.
     */
    public static Path directory()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path captures = dir.resolve("data").resolve("captures");
            if (Files.isDirectory(captures))
            {
                return captures;
            }
        }
        throw new AssertionError("no data/captures above " + Path.of("").toAbsolutePath());
    }

    /**
     * @param relative a path under {@code data/captures}, e.g. {@code "kraken-v1/10pairs_book1000_2021-04-17.capture.gz"}.
     * @return the existing file.
     * @throws AssertionError if it does not exist.
     */
    public static Path path(final String relative)
    {
        final Path file = directory().resolve(relative);
        if (!Files.isRegularFile(file))
        {
            throw new AssertionError("missing bundled capture " + file);
        }
        return file;
    }
}
