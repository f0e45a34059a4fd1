package io.loom.runtime.fiber;

import java.nio.channels.SelectionKey;

/**
 * Told by a reactor's selector that a channel registered with
 * {@link FiberScheduler#register(java.nio.channels.SelectableChannel, int, ChannelReadyHandler)}
 * is ready. Fiber sockets implement it to post the baton their fiber waits on.
 *
 * <p>Called on the reactor thread; must not block.
 */
@FunctionalInterface
public interface ChannelReadyHandler
{
    /**
     * The channel of {@code key} is ready for some of its interest operations.
     *
     * @param key the channel's selection key; {@link SelectionKey#readyOps()} says for what.
     */
    void onChannelReady(SelectionKey key);
}
