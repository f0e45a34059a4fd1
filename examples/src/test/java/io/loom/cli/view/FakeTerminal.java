package io.loom.cli.view;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of a terminal to check an in-place view: a screen of lines and a cursor row,
 * interpreting text, {@code \n}, {@code ESC[<n>A} (cursor up) and {@code ESC[2K} (erase line).
 * It remembers how many lines the screen ever grew to: a redraw that scrolls makes it grow.
 */
final class FakeTerminal
{
    private final List<StringBuilder> screen = new ArrayList<>();
    private int row;

    /**
     * @param output what a program wrote.
     * @throws AssertionError on an escape sequence it does not know.
     */
    void write(final String output)
    {
        int i = 0;
        while (i < output.length())
        {
            final char c = output.charAt(i);
            if (c == '\u001b')
            {
                final int end = escapeEnd(output, i);
                apply(output.substring(i + 2, end), output.charAt(end));
                i = end + 1;
            }
            else if (c == '\n')
            {
                row++;
                line();
                i++;
            }
            else
            {
                line().append(c);
                i++;
            }
        }
    }

    /** @return the screen's lines, the empty last one (where the cursor waits) left out. */
    List<String> lines()
    {
        final List<String> lines = new ArrayList<>();
        screen.forEach(line -> lines.add(line.toString()));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty())
        {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** @return the cursor's row, 0 at the top. */
    int row()
    {
        return row;
    }

    private StringBuilder line()
    {
        while (screen.size() <= row)
        {
            screen.add(new StringBuilder());
        }
        return screen.get(row);
    }

    private void apply(final String parameter, final char command)
    {
        switch (command)
        {
            case 'A' -> row = Math.max(0, row - Integer.parseInt(parameter));
            case 'K' ->
            {
                if (!"2".equals(parameter))
                {
                    throw new AssertionError("unexpected erase mode " + parameter);
                }
                line().setLength(0);
            }
            default -> throw new AssertionError("unexpected escape sequence ESC[" + parameter + command);
        }
    }

    private static int escapeEnd(final String output, final int start)
    {
        if (start + 1 >= output.length() || output.charAt(start + 1) != '[')
        {
            throw new AssertionError("an escape that is not a CSI sequence at " + start);
        }
        int end = start + 2;
        while (end < output.length() && Character.isDigit(output.charAt(end)))
        {
            end++;
        }
        return end;
    }
}
