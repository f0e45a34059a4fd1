package io.loom.runtime.journal;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a test main in a child JVM with this JVM's Loom flags ({@code --add-opens},
 * {@code --add-exports}, {@code -Dchronicle.*}) and class path; optionally under a file-size limit
 * ({@code ulimit -f}), which makes Chronicle's file growth fail like a full disk.
 *
 * <p>Thread-safety: stateless.
 */
final class ChildJvm
{
    private ChildJvm()
    {
    }

    /**
     * @param main        the class whose main runs.
     * @param stderr      where the child's standard error goes.
     * @param fileBlocks  the file-size limit in 1 KiB blocks, or 0 for none.
     * @param args        the main's arguments.
     * @return the started process; its standard output is a pipe to read.
     * @throws IOException if it cannot be started.
     */
    static Process start(final Class<?> main, final Path stderr, final int fileBlocks, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        if (fileBlocks > 0)
        {
            command.addAll(List.of("/bin/sh", "-c", "ulimit -f " + fileBlocks + " && exec \"$@\"", "sh"));
        }
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports") || argument.startsWith("-Dchronicle."))
            {
                command.add(argument);
            }
        }
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    }
}
