package io.loom.connectors.simulator;

import io.loom.runtime.capture.Capture;

import java.util.List;
import java.util.Map;

/**
 * What differs between venues in the simulator: subscriptions and other client messages, the
 * reference state the stream advances, and REST. Implementations run on the event loop only.
 */
interface VenueProtocol
{
    /** {@link #onFrame} result for frames every subscribed client gets (heartbeats, status, all of Binance). */
    int EVERY_CLIENT = -1;

    /**
     * @param venue a capture's venue id.
     * @throws IllegalStateException if the simulator does not speak that venue's protocol.
     */
    static void requireSupported(final String venue)
    {
        switch (venue)
        {
            case "binance-spot", "binance-usdm", "binance-coinm", "kraken-v1" ->
            {
                // supported
            }
            default -> throw new IllegalStateException(
                "the simulator does not speak " + venue + "; supported: binance-spot, binance-usdm, binance-coinm, kraken-v1");
        }
    }

    /**
     * @param capture           the capture served.
     * @param recordedSnapshots whether REST answers are the recorded snapshots ({@link SimulatorContext#recordedSnapshots(boolean)}).
     * @return the protocol of the capture's venue, with its reference state built from the capture.
     */
    static VenueProtocol of(final Capture capture, final boolean recordedSnapshots)
    {
        requireSupported(capture.header().venue());
        return capture.header().venue().equals("kraken-v1") ? new KrakenV1Protocol(capture) : new BinanceProtocol(capture, recordedSnapshots);
    }

    /**
     * A WebSocket handshake completed.
     *
     * @param session    the new connection.
     * @param requestUri the handshake's request URI, e.g. {@code /stream?streams=ethusdt@depth@100ms}.
     */
    void onOpen(SimulatorSession session, String requestUri);

    /** A text message from the client; answers through {@link SimulatorSession#sendText}. */
    void onClientText(SimulatorSession session, String text);

    /**
     * The stream reached a recorded frame: advance the reference state.
     *
     * @param record the capture record index.
     * @param text   its text, decoded on demand.
     * @return the frame's channel key for {@link SimulatorSession#accepts}, or {@link #EVERY_CLIENT}.
     */
    int onFrame(int record, FrameText text);

    /**
     * Whether the stream may go on to a recorded frame now; when not, it holds until a REST answer
     * releases it (the simulator kicks the stream after every REST answer).
     *
     * @param record the capture record index of the next frame.
     * @return true by default.
     */
    default boolean mayStream(final int record)
    {
        return true;
    }

    /**
     * Answers a REST GET.
     *
     * @param path       the request path, e.g. {@code /api/v3/depth}.
     * @param parameters the decoded query parameters.
     * @return the answer.
     */
    RestResponse rest(String path, Map<String, List<String>> parameters);
}
