package io.loom.runtime.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text format 0.0.4, written from the format's rules for the
 * tests (not from Loom's writer): a failure names the line. It accepts only what a well-formed
 * exposition holds: per family one {@code # HELP} then one {@code # TYPE} line, before its samples,
 * which are contiguous; counters, gauges and summaries only; sample names that belong to their
 * family ({@code _sum}, {@code _count} and {@code quantile} only for summaries); label values with
 * only {@code \\}, {@code \"} and {@code \n} escapes; no series twice; a final newline.
 */
final class PrometheusText
{
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** One sample: its name as written, its labels (quantile included), its value. */
    record Sample(String name, Map<String, String> labels, double value)
    {
    }

    /** One family. */
    record Family(String name, String help, String type, List<Sample> samples)
    {
        /** @return the sample with exactly these labels (and name), or an assertion error. */
        Sample sample(final String sampleName, final Map<String, String> labels)
        {
            for (final Sample sample : samples)
            {
                if (sample.name.equals(sampleName) && sample.labels.equals(labels))
                {
                    return sample;
                }
            }
            throw new AssertionError("no sample " + sampleName + labels + " in " + samples);
        }
    }

    private PrometheusText()
    {
    }

    /**
     * @param text a scrape's body.
     * @return its families by name, in order.
     * @throws AssertionError at the first line that breaks the format.
     */
    static Map<String, Family> parse(final String text)
    {
        if (!text.isEmpty() && !text.endsWith("\n"))
        {
            throw new AssertionError("the exposition does not end with a newline");
        }
        final Map<String, Family> families = new LinkedHashMap<>();
        final Set<String> series = new HashSet<>();
        String helpName = null;
        String help = null;
        Family current = null;
        int number = 0;
        final String[] lines = text.isEmpty() ? new String[0] : text.substring(0, text.length() - 1).split("\n", -1);
        for (final String line : lines)
        {
            number++;
            final String where = "line " + number + " '" + line + "': ";
            if (line.startsWith("# HELP "))
            {
                final String[] parts = line.substring(7).split(" ", 2);
                check(METRIC_NAME.matcher(parts[0]).matches(), where + "bad metric name");
                check(!families.containsKey(parts[0]), where + "family declared twice");
                check(helpName == null, where + "HELP without TYPE before it");
                helpName = parts[0];
                help = unescapeHelp(parts.length > 1 ? parts[1] : "", where);
            }
            else if (line.startsWith("# TYPE "))
            {
                final String[] parts = line.substring(7).split(" ");
                check(parts.length == 2, where + "TYPE takes a name and a type");
                check(parts[0].equals(helpName), where + "TYPE not right after the family's HELP");
                check(Set.of("counter", "gauge", "summary").contains(parts[1]), where + "unexpected type " + parts[1]);
                check(!parts[1].equals("counter") || parts[0].endsWith("_total"), where + "a counter's name ends with _total");
                current = new Family(parts[0], help, parts[1], new ArrayList<>());
                families.put(parts[0], current);
                helpName = null;
            }
            else
            {
                check(!line.startsWith("#"), where + "unexpected comment");
                check(!line.isEmpty(), where + "empty line");
                check(current != null && helpName == null, where + "sample outside a family");
                final Sample sample = sample(line, where);
                check(belongs(current, sample), where + "does not belong to family " + current.name + " (" + current.type + ")");
                check(series.add(sample.name + sample.labels), where + "series repeated");
                current.samples.add(sample);
            }
        }
        check(helpName == null, "HELP " + helpName + " without TYPE");
        return families;
    }

    private static boolean belongs(final Family family, final Sample sample)
    {
        if (!family.type.equals("summary"))
        {
            return sample.name.equals(family.name) && !sample.labels.containsKey("quantile");
        }
        if (sample.name.equals(family.name))
        {
            return sample.labels.containsKey("quantile");
        }
        return (sample.name.equals(family.name + "_sum") || sample.name.equals(family.name + "_count")) &&
            !sample.labels.containsKey("quantile");
    }

    private static Sample sample(final String line, final String where)
    {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ')
        {
            i++;
        }
        final String name = line.substring(0, i);
        check(METRIC_NAME.matcher(name).matches(), where + "bad metric name");
        final Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{')
        {
            i++;
            while (line.charAt(i) != '}')
            {
                final int eq = line.indexOf('=', i);
                check(eq > i, where + "label without '='");
                final String label = line.substring(i, eq);
                check(LABEL_NAME.matcher(label).matches(), where + "bad label name " + label);
                check(line.charAt(eq + 1) == '"', where + "label value not quoted");
                final StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"')
                {
                    char c = line.charAt(j);
                    if (c == '\\')
                    {
                        j++;
                        c = switch (line.charAt(j))
                        {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new AssertionError(where + "bad escape \\" + line.charAt(j));
                        };
                    }
                    value.append(c);
                    j++;
                }
                check(labels.put(label, value.toString()) == null, where + "label repeated");
                i = j + 1;
                if (line.charAt(i) == ',')
                {
                    i++;
                }
                else
                {
                    check(line.charAt(i) == '}', where + "expected ',' or '}'");
                }
            }
            i++;
        }
        check(i < line.length() && line.charAt(i) == ' ', where + "no space before the value");
        final String[] rest = line.substring(i + 1).split(" ");
        check(rest.length <= 2, where + "too many fields");
        return new Sample(name, labels, value(rest[0], where));
    }

    private static double value(final String text, final String where)
    {
        return switch (text)
        {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default ->
            {
                try
                {
                    yield Double.parseDouble(text);
                }
                catch (final NumberFormatException ex)
                {
                    throw new AssertionError(where + "bad value " + text);
                }
            }
        };
    }

    private static String unescapeHelp(final String text, final String where)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++)
        {
            char c = text.charAt(i);
            if (c == '\\')
            {
                i++;
                c = switch (text.charAt(i))
                {
                    case '\\' -> '\\';
                    case 'n' -> '\n';
                    default -> throw new AssertionError(where + "bad escape in HELP");
                };
            }
            out.append(c);
        }
        return out.toString();
    }

    private static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new AssertionError(message);
        }
    }
}
