package io.loom.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * How {@code loom} reports errors: one line on standard error, no stack trace unless
 * {@code --verbose} was given. A bad command line exits with 2, a failure while running with 1.
 *
 * <p>Thread-safety: stateless; picocli calls it on the main thread.
 */
final class CliErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler
{
    static final String VERBOSE = "--verbose";

    @Override
    public int handleExecutionException(final Exception ex, final CommandLine commandLine, final ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        err.println("loom: error: " + describe(ex));
        if (isVerbose(parseResult))
        {
            ex.printStackTrace(err);
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    @Override
    public int handleParseException(final ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();
        err.println("loom: " + describe(ex) + " (see '" + commandLine.getCommandSpec().qualifiedName() + " --help')");
        if (Arrays.asList(args).contains(VERBOSE))
        {
            ex.printStackTrace(err);
        }
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    /** The exception's message on one line (line breaks become "; "), or its class when it has none. */
    private static String describe(final Throwable ex)
    {
        final String message = ex.getMessage();
        return message == null || message.isBlank() ? ex.toString() : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** {@code --verbose} is inherited by every command: look for it at each level of the command line. */
    private static boolean isVerbose(final ParseResult parseResult)
    {
        for (ParseResult level = parseResult; level != null; level = level.subcommand())
        {
            if (level.hasMatchedOption(VERBOSE))
            {
                return true;
            }
        }
        return false;
    }
}
