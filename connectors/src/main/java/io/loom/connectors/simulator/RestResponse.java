package io.loom.connectors.simulator;

/**
 * One REST answer of the simulator: HTTP status and JSON body.
 *
 * <p>Thread-safety: immutable.
 *
 * @param status            the HTTP status code.
 * @param body              the JSON body.
 * @param retryAfterSeconds the {@code Retry-After} value, or -1 for none.
 */
record RestResponse(int status, String body, long retryAfterSeconds)
{
    static RestResponse ok(final String body)
    {
        return new RestResponse(200, body, -1);
    }

    static RestResponse error(final int status, final int code, final String message)
    {
        return new RestResponse(status, "{\"code\":" + code + ",\"msg\":\"" + message + "\"}", -1);
    }
}
