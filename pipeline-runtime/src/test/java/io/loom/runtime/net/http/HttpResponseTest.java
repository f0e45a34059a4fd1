package io.loom.runtime.net.http;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What {@link HttpResponse} derives from its fields: Retry-After, charset, header lookups. */
class HttpResponseTest
{
    @Test
    void shouldReadRetryAfterDeltaSeconds()
    {
        assertEquals(30, response("Retry-After", "30").retryAfterSeconds());
        assertEquals(0, response("Retry-After", "0").retryAfterSeconds());
        assertEquals(HttpResponse.MAX_DELTA_SECONDS, response("Retry-After", "99999999999999999999").retryAfterSeconds());
    }

    @Test
    void shouldMeasureARetryAfterDateFromTheResponsesDateField()
    {
        assertEquals(90, response(
            "Date", "Wed, 21 Oct 2026 07:28:00 GMT",
            "Retry-After", "Wed, 21 Oct 2026 07:29:30 GMT").retryAfterSeconds());
        assertEquals(0, response(
            "Date", "Wed, 21 Oct 2026 07:28:00 GMT",
            "Retry-After", "Wed, 21 Oct 2026 07:00:00 GMT").retryAfterSeconds(), "a date in the past means now");
    }

    @Test
    void shouldReportNoRetryAfterWhenAbsentOrUnparseable()
    {
        assertEquals(HttpResponse.NO_RETRY_AFTER, response("X-Other", "1").retryAfterSeconds());
        assertEquals(HttpResponse.NO_RETRY_AFTER, response("Retry-After", "soon").retryAfterSeconds());
        assertEquals(HttpResponse.NO_RETRY_AFTER, response("Retry-After", "-5").retryAfterSeconds());
        assertEquals(HttpResponse.NO_RETRY_AFTER, response("Retry-After", "").retryAfterSeconds());
    }

    @Test
    void shouldLookUpFieldsCaseInsensitivelyAndKeepRepeatedOnes()
    {
        final HttpResponse response = response("Set-Cookie", "a=1", "x-mbx-used-weight", "7", "set-cookie", "b=2");
        assertEquals("7", response.header("X-MBX-USED-WEIGHT"));
        assertEquals("a=1", response.header("SET-COOKIE"));
        assertEquals(List.of("a=1", "b=2"), response.headers().all("Set-Cookie"));
        assertEquals(List.of(), response.headers().all("Vary"));
        assertNull(response.header("Location"));
        assertEquals(3, response.headers().size());
        assertEquals("set-cookie", response.headers().name(2));
    }

    @Test
    void shouldDecodeTextInTheContentTypeCharsetOrUtf8()
    {
        final byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("caf\u00e9", response(latin1, "Content-Type", "text/plain; charset=\"ISO-8859-1\"").bodyAsString());
        final byte[] utf8 = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
        assertEquals("caf\u00e9", response(utf8, "Content-Type", "application/json").bodyAsString());
        assertEquals("caf\u00e9", response(utf8, "Content-Type", "text/plain; charset=no-such-charset").bodyAsString());
        assertEquals(utf8.length, response(utf8).body().capacity());
    }

    private static HttpResponse response(final String... namesAndValues)
    {
        return response(new byte[0], namesAndValues);
    }

    private static HttpResponse response(final byte[] body, final String... namesAndValues)
    {
        return new HttpResponse(URI.create("http://127.0.0.1/"), "HTTP/1.1", 429, "Too Many Requests",
            new HttpHeaders(List.of(namesAndValues)), body, body.length, true);
    }
}
