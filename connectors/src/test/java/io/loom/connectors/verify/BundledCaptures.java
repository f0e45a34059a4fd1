package io.loom.connectors.verify;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the recordings bundled under the repository's {@code data/captures}. */
final class BundledCaptures
{
    private BundledCaptures()
    {
    }

    /**
     * @param relative a path under {@code data/captures}, e.g. {@code kraken-v1/x.capture.gz}.
     * @return the file, found by walking up from the working directory.
     */
    static Path path(final String relative)
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path file = dir.resolve("data").resolve("captures").resolve(relative);
            if (Files.isRegularFile(file))
            {
                return file;
            }
        }
        throw new AssertionError("missing bundled capture " + relative + " (run from within the repository)");
    }
}
