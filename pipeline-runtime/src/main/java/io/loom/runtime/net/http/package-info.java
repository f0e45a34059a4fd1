/**
 * HTTP/1.1 GET for REST snapshots over a fiber transport: {@link io.loom.runtime.net.http.FiberHttpClient}
 * writes the request and reads the response on the calling fiber, {@link io.loom.runtime.net.http.HttpResponse}
 * holds the result whatever its status, {@link io.loom.runtime.net.http.HttpException} reports
 * failures by {@link io.loom.runtime.net.http.HttpException.Reason}, and
 * {@link io.loom.runtime.net.http.HttpClientContext} sets the limits.
 *
 * <pre>
 *   FiberHttpClient ──▶ HttpRequestEncoder ──▶ FiberTransport.writeFully
 *         │
 *         └──▶ HttpResponseReader ◀── HttpInput ◀── FiberTransport.read(dst, remainingNs)
 *                    │  status line, fields, framing          (deadline on the reactor clock)
 *                    ├──▶ HttpBodyBuffer (Content-Length | chunked | until close)
 *                    └──▶ HttpGzipDecoder ──▶ HttpResponse
 * </pre>
 */
package io.loom.runtime.net.http;
