package io.loom.connectors.session;

import io.loom.runtime.net.http.HttpResponse;

/**
 * A REST snapshot fetched for one connection, waiting for the connection fiber to hand it to the feed.
 *
 * <p>Thread-safety: immutable.
 *
 * @param connection   the number of the connection it was fetched for; dropped if that one ended.
 * @param instrumentId the instrument.
 * @param url          the URL it was fetched from, as ASCII bytes (the feed reads the symbol from it).
 * @param response     the 2xx response.
 */
record FetchedSnapshot(int connection, int instrumentId, byte[] url, HttpResponse response)
{
}
