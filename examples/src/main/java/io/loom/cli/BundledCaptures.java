package io.loom.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the recordings bundled with Loom are: {@code data/captures} under {@code -Dloom.home}
 * (set by the {@code ./loom} launcher), else the first such directory found upwards from the
 * working directory (a run from the repository or one of its modules).
 *
 * <p>Thread-safety: stateless.
 */
final class BundledCaptures
{
    private BundledCaptures()
    {
    }

    /** @return the bundled {@code data/captures} directory, if there is one. */
    static Optional<Path> directory()
    {
        final String home = System.getProperty("loom.home");
        if (home != null && Files.isDirectory(Path.of(home, "data", "captures")))
        {
            return Optional.of(Path.of(home, "data", "captures"));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isDirectory(dir.resolve("data").resolve("captures")))
            {
                return Optional.of(dir.resolve("data").resolve("captures"));
            }
        }
        return Optional.empty();
    }
}
