package io.loom.api.stage;

/**
 * Implemented by a stage that offers a read view of its state to the stages after it, such as the
 * books an order-book stage maintains. Downstream stages obtain it with
 * {@link StageContext#upstreamView(String, Class)}.
 *
 * <p>Thread-safety: a view is read on the downstream stage's thread while the owning stage may be
 * writing on its own. A downstream stage that shares the owner's thread (see
 * {@code PipelineBuilder.onThreadOf}) reads it consistently as of the current event; on another
 * thread it reads it as of some later event, so a view shared across threads must be safe to read
 * concurrently (for example sequence-stamped, as the order-book views are).
 *
 * @param <V> the view's type.
 */
public interface StageView<V>
{
    /** @return the view; the same object on every call. */
    V view();
}
