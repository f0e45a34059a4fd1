package io.loom.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.loom.connectors.kraken.KrakenProtocol;
import io.loom.runtime.net.tls.TlsContext;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the {@code $.sources} of a {@code loom run} config: venues, their symbol syntax, endpoints,
 * CA certificates, Kraken depths, exponents, and no two sources of the same venue and host; then the
 * venue's own protocol has the last word ({@link SourceProtocols}).
 *
 * <p>Thread-safety: stateless.
 */
final class SourcesReader
{
    /** The fields of a source. */
    static final String[] SOURCE_FIELDS = {"venue", "symbols", "endpoint", "caCert", "depth", "priceExponent", "sizeExponent"};
    static final int DEFAULT_EXPONENT = -8;
    static final int DEFAULT_KRAKEN_DEPTH = 1000;

    private static final Pattern BINANCE_SYMBOL = Pattern.compile("[A-Z0-9_]+");
    private static final Pattern KRAKEN_SYMBOL = Pattern.compile("[A-Za-z0-9.]+/[A-Za-z0-9.]+");

    private SourcesReader()
    {
    }

    /**
     * @param top    the config's top-level fields.
     * @param errors where problems go.
     * @return the valid sources (a problem recorded for each other one).
     */
    static List<SourceConfig> read(final JsonFields top, final ConfigErrors errors)
    {
        final List<SourceConfig> sources = new ArrayList<>();
        final JsonNode list = top.node("sources");
        if (list == null || !list.isArray() || list.isEmpty())
        {
            errors.add(top.path("sources"), list == null ? "required: a list of at least one source" :
                "must be a list of at least one source, not " + JsonFields.shown(list));
            return sources;
        }
        final Map<String, Integer> sessionNames = new HashMap<>();
        for (int i = 0; i < list.size(); i++)
        {
            final int before = errors.count();
            final SourceConfig source = source(JsonFields.of(list.get(i), top.path("sources") + "[" + i + "]", errors, SOURCE_FIELDS), errors);
            if (source == null || errors.count() > before)
            {
                continue;
            }
            final String path = top.path("sources") + "[" + i + "]";
            try
            {
                final String sessionName = source.venue() + " " + SourceProtocols.protocol(source).webSocketUri().getHost();
                final Integer first = sessionNames.putIfAbsent(sessionName, i);
                if (first != null)
                {
                    errors.add(path, "same venue and host as $.sources[" + first + "] (" + sessionName + "); list the symbols in one source");
                    continue;
                }
            }
            catch (final IllegalArgumentException ex)
            {
                errors.add(path, ex.getMessage());
                continue;
            }
            sources.add(source);
        }
        return sources;
    }

    private static SourceConfig source(final JsonFields source, final ConfigErrors errors)
    {
        if (source == null)
        {
            return null;
        }
        final String venue = source.text("venue", null);
        if (!source.has("venue"))
        {
            errors.add(source.path("venue"), "required; allowed: " + String.join(", ", SourceProtocols.VENUES));
        }
        else if (venue != null && !SourceProtocols.VENUES.contains(venue))
        {
            errors.add(source.path("venue"), "\"" + venue + "\" is not a venue; allowed: " + String.join(", ", SourceProtocols.VENUES));
            return null;
        }
        final List<String> symbols = source.texts("symbols", true);
        if (source.has("symbols") && source.node("symbols").isArray() && symbols.isEmpty())
        {
            errors.add(source.path("symbols"), "at least one symbol is required");
        }
        if (venue != null)
        {
            checkSymbols(source, venue, symbols, errors);
        }
        final URI endpoint = endpoint(source, venue, errors);
        final Path caCert = caCert(source, errors);
        int depth = 0;
        if (venue != null && SourceProtocols.isKraken(venue))
        {
            depth = source.integer("depth", DEFAULT_KRAKEN_DEPTH, Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (!KrakenProtocol.DEPTHS.contains(depth))
            {
                errors.add(source.path("depth"), depth + " is not a Kraken book depth; allowed: " + KrakenProtocol.DEPTHS.stream().map(String::valueOf).collect(Collectors.joining(", ")));
            }
        }
        else if (venue != null && source.has("depth"))
        {
            errors.add(source.path("depth"), "only kraken-v1 and kraken-v2 sources have a depth");
        }
        final int priceExponent = source.integer("priceExponent", DEFAULT_EXPONENT, -18, 0);
        final int sizeExponent = source.integer("sizeExponent", DEFAULT_EXPONENT, -18, 0);
        if (venue == null)
        {
            return null;
        }
        return new SourceConfig(venue, symbols.stream().filter(s -> s != null).toList(), endpoint, caCert, depth, priceExponent, sizeExponent);
    }

    private static void checkSymbols(final JsonFields source, final String venue, final List<String> symbols, final ConfigErrors errors)
    {
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < symbols.size(); i++)
        {
            final String symbol = symbols.get(i);
            if (symbol == null)
            {
                continue;
            }
            final String path = source.path("symbols") + "[" + i + "]";
            if (SourceProtocols.isKraken(venue) && !KRAKEN_SYMBOL.matcher(symbol).matches())
            {
                errors.add(path, "\"" + symbol + "\" is not a Kraken pair; allowed: BASE/QUOTE, such as XBT/USD");
            }
            else if (!SourceProtocols.isKraken(venue) && !BINANCE_SYMBOL.matcher(symbol).matches())
            {
                errors.add(path, "\"" + symbol + "\" is not a Binance symbol; allowed: upper-case letters, digits and '_', such as ETHUSDT");
            }
            else if (!seen.add(symbol))
            {
                errors.add(path, "\"" + symbol + "\" is listed twice");
            }
        }
    }

    private static URI endpoint(final JsonFields source, final String venue, final ConfigErrors errors)
    {
        final String text = source.text("endpoint", null);
        if (text == null)
        {
            return null;
        }
        final String path = source.path("endpoint");
        final URI uri;
        try
        {
            uri = new URI(text);
        }
        catch (final URISyntaxException ex)
        {
            errors.add(path, "\"" + text + "\" is not a URI: " + ex.getReason());
            return null;
        }
        if (!("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) || uri.getHost() == null)
        {
            errors.add(path, "\"" + text + "\" is not a WebSocket endpoint; allowed: ws://host:port/path or wss://host:port/path");
            return null;
        }
        if (venue != null && !SourceProtocols.isKraken(venue) && !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath())))
        {
            errors.add(path, "\"" + text + "\" has a path; a Binance endpoint is ws(s)://host:port (streams and REST both there)");
            return null;
        }
        return uri;
    }

    private static Path caCert(final JsonFields source, final ConfigErrors errors)
    {
        final String text = source.text("caCert", null);
        if (text == null)
        {
            return null;
        }
        final String path = source.path("caCert");
        try
        {
            final Path file = Path.of(text);
            if (!Files.isRegularFile(file))
            {
                errors.add(path, "\"" + text + "\" is not a file");
                return null;
            }
            new TlsContext().trustPemFile(file);
            return file;
        }
        catch (final IllegalArgumentException | UncheckedIOException ex)
        {
            errors.add(path, "\"" + text + "\" is not a PEM certificate: " + ex.getMessage());
            return null;
        }
    }
}
