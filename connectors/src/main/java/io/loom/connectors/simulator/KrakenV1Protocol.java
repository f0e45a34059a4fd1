package io.loom.connectors.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kraken WebSocket API v1: subscriptions per pair and channel, ping, and fresh book snapshots.
 *
 * <ul>
 *   <li>{@code {"event":"subscribe","pair":[…],"subscription":{"name":"book","depth":1000}}} subscribes the
 *       connection to the recorded channels of those pairs ({@code book-<depth>}, or {@code trade}, …; the
 *       depth must be the recorded one). Recorded subscriptionStatus frames and snapshots the stream has
 *       not reached yet simply arrive with it. For a channel the stream is already past, the simulator
 *       sends a subscriptionStatus of its own and, for a book, a snapshot from its reference book:
 *       {@code [channelID,{"as":[[price,volume,timestamp],…],"bs":[…]},"book-1000","PAIR"]}. So a second
 *       subscribe, an unsubscribe + subscribe, or a subscribe on a new connection resynchronises a book.</li>
 *   <li>{@code unsubscribe} stops the connection's frames of those channels and answers {@code "status":"unsubscribed"}.</li>
 *   <li>{@code {"event":"ping","reqid":N}} is answered {@code {"event":"pong","reqid":N}}.</li>
 *   <li>A connection opened after the stream passed the recorded systemStatus frame gets that frame on open.</li>
 * </ul>
 *
 * <p>Reference book per book channel: the recorded snapshot plus every streamed update (volume 0
 * deletes), truncated to the channel's depth after every update, wire strings kept exactly, so the
 * recorded updates that follow a fresh snapshot still verify their CRC32 checksums against it.
 *
 * <p>Thread-safety: not thread-safe; used on the simulator's event loop only.
 */
final class KrakenV1Protocol implements VenueProtocol
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_BOOK_DEPTH = 10;

    private final Capture capture;
    private final Map<String, Channel> channelsByPairAndName = new HashMap<>();
    private final Map<Integer, Channel> channelsById = new HashMap<>();
    private int systemStatusRecord = -1;
    private boolean systemStatusPassed;

    KrakenV1Protocol(final Capture capture)
    {
        this.capture = capture;
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) == CaptureRecordKind.WS && capture.conn(i) == 0 && capture.buffer().getByte(capture.payloadOffset(i)) == '{')
            {
                final JsonNode event = parse(capture.payloadAsString(i), i);
                final String type = event.path("event").asText();
                if (type.equals("systemStatus") && systemStatusRecord < 0)
                {
                    systemStatusRecord = i;
                }
                else if (type.equals("subscriptionStatus") && event.has("channelID"))
                {
                    final Channel channel = new Channel(event.get("channelID").asInt(), event.path("pair").asText(),
                        event.path("channelName").asText(), event.path("subscription").path("depth").asInt(0));
                    channelsByPairAndName.putIfAbsent(channel.pair + '|' + channel.name, channel);
                    channelsById.putIfAbsent(channel.id, channel);
                }
            }
        }
    }

    @Override
    public void onOpen(final SimulatorSession session, final String requestUri)
    {
        if (systemStatusPassed)
        {
            session.sendText(capture.payloadAsString(systemStatusRecord));
        }
    }

    @Override
    public void onClientText(final SimulatorSession session, final String text)
    {
        final JsonNode request;
        try
        {
            request = JSON.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            session.sendText("{\"errorMessage\":\"Malformed request\",\"event\":\"error\"}");
            return;
        }
        final String event = request.path("event").asText();
        final String reqid = request.has("reqid") ? ",\"reqid\":" + request.get("reqid") : "";
        switch (event)
        {
            case "ping" -> session.sendText("{\"event\":\"pong\"" + reqid + "}");
            case "subscribe", "unsubscribe" ->
            {
                final boolean subscribe = event.equals("subscribe");
                final JsonNode subscription = request.path("subscription");
                final String name = subscription.path("name").asText();
                final String channelName = name.equals("book")
                    ? "book-" + subscription.path("depth").asInt(DEFAULT_BOOK_DEPTH)
                    : name;
                for (final JsonNode pairNode : request.path("pair"))
                {
                    final String pair = pairNode.asText();
                    final Channel channel = channelsByPairAndName.get(pair + '|' + channelName);
                    if (channel == null)
                    {
                        session.sendText("{\"errorMessage\":\"Subscription not available in this capture: " + pair + " " + channelName
                            + "\",\"event\":\"subscriptionStatus\",\"pair\":\"" + pair + "\"" + reqid + ",\"status\":\"error\"}");
                    }
                    else if (subscribe)
                    {
                        subscribe(session, channel, reqid);
                    }
                    else
                    {
                        session.unsubscribe(channel.id);
                        session.sendText(status(channel, "unsubscribed", reqid));
                    }
                }
                if (subscribe)
                {
                    session.markSubscribed();
                }
            }
            default -> session.sendText("{\"errorMessage\":\"Unsupported event\",\"event\":\"error\"" + reqid + "}");
        }
    }

    @Override
    public int onFrame(final int record, final FrameText text)
    {
        if (record == systemStatusRecord)
        {
            systemStatusPassed = true;
        }
        final String frame = text.get();
        if (frame.startsWith("["))
        {
            final JsonNode message = parse(frame, record);
            final Channel channel = channelsById.get(message.get(0).asInt());
            if (channel == null)
            {
                return EVERY_CLIENT;
            }
            if (channel.depth > 0)
            {
                channel.apply(message);
            }
            return channel.id;
        }
        if (frame.contains("\"event\":\"subscriptionStatus\""))
        {
            final JsonNode status = parse(frame, record);
            final Channel channel = channelsById.get(status.path("channelID").asInt(-1));
            if (channel != null)
            {
                channel.statusPassed = true;
                return channel.id;
            }
        }
        return EVERY_CLIENT;
    }

    @Override
    public RestResponse rest(final String path, final Map<String, List<String>> parameters)
    {
        return new RestResponse(404, "{\"error\":[\"EGeneral:Unknown method\"]}", -1);
    }

    private void subscribe(final SimulatorSession session, final Channel channel, final String reqid)
    {
        session.subscribe(channel.id);
        if (channel.statusPassed)
        {
            session.sendText(status(channel, "subscribed", reqid));
        }
        if (channel.snapshotPassed)
        {
            session.sendText(channel.snapshot());
        }
    }

    private static String status(final Channel channel, final String status, final String reqid)
    {
        final String subscription = channel.depth > 0
            ? "{\"depth\":" + channel.depth + ",\"name\":\"book\"}"
            : "{\"name\":\"" + channel.name + "\"}";
        return "{\"channelID\":" + channel.id + ",\"channelName\":\"" + channel.name + "\",\"event\":\"subscriptionStatus\",\"pair\":\""
            + channel.pair + "\"" + reqid + ",\"status\":\"" + status + "\",\"subscription\":" + subscription + "}";
    }

    private static JsonNode parse(final String frame, final int record)
    {
        try
        {
            return JSON.readTree(frame);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("recorded frame " + record + " is not JSON", ex);
        }
    }

    /** One recorded channel (pair + channel name) and, for a book, its reference book. */
    private static final class Channel
    {
        private final int id;
        private final String pair;
        private final String name;
        private final int depth;
        private final ReferenceBook book = new ReferenceBook();
        private boolean statusPassed;
        private boolean snapshotPassed;

        Channel(final int id, final String pair, final String name, final int depth)
        {
            this.id = id;
            this.pair = pair;
            this.name = name;
            this.depth = depth;
        }

        /** Applies a recorded book message: {@code [id, {as,bs} | {a}… {b,c}, name, pair]}. */
        void apply(final JsonNode message)
        {
            for (int i = 1; i < message.size() - 2; i++)
            {
                final JsonNode part = message.get(i);
                if (part.has("as") || part.has("bs"))
                {
                    book.clear();
                    snapshotPassed = true;
                    applyLevels(part.path("as"), false);
                    applyLevels(part.path("bs"), true);
                }
                applyLevels(part.path("a"), false);
                applyLevels(part.path("b"), true);
            }
            book.truncate(depth);
        }

        String snapshot()
        {
            final StringBuilder json = new StringBuilder(128 + depth * 100).append('[').append(id).append(",{\"as\":");
            book.appendLevels(json, false, depth);
            json.append(",\"bs\":");
            book.appendLevels(json, true, depth);
            return json.append("},\"").append(name).append("\",\"").append(pair).append("\"]").toString();
        }

        private void applyLevels(final JsonNode levels, final boolean bid)
        {
            for (final JsonNode level : levels)
            {
                book.apply(bid, new String[]{level.get(0).asText(), level.get(1).asText(), level.get(2).asText()});
            }
        }
    }
}
