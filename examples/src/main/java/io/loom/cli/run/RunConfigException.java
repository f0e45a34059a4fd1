package io.loom.cli.run;

import java.util.List;

/**
 * A {@code loom run} config that cannot be run: every problem found, each one line naming the JSON
 * path of the bad field and what is allowed there ({@code $.sources[1].venue: "binanse" is not a
 * venue; allowed: binance-spot, ...}).
 *
 * <p>Thread-safety: immutable.
 */
public final class RunConfigException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient List<String> errors;

    /**
     * @param errors the problems, in the order of the document; at least one.
     */
    public RunConfigException(final List<String> errors)
    {
        super(errors.getFirst() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
        this.errors = List.copyOf(errors);
    }

    /** @return every problem, one line each, in the order of the document. */
    public List<String> errors()
    {
        return errors;
    }
}
