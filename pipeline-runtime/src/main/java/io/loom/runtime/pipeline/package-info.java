/**
 * The pipeline engine: builds a {@link io.loom.api.pipeline.Pipeline} from a validated
 * {@link io.loom.api.pipeline.PipelineSpec} on an LMAX Disruptor ring.
 *
 * <pre>
 *   source fibers ──claim/publish──▶ RingPublisher ──tryNext(n)/publish(lo, hi)──▶ Disruptor ring
 *   (one reactor)                        │  ring full                               │
 *                                        ▼                                          ▼
 *                                  OverflowQueue ◀──drain── OverflowDrainer    StageThread(s)
 *                                  (pre-allocated)          (reactor fiber) ◀── RingRoomSignal
 *                                        │ full: BLOCK parks the source fiber     (gating stages post
 *                                        │       DROP_AND_RESYNC drops, STALE      at end of batch)
 *                                        ▼
 *                                  ResyncDispatcher (reactor fiber) ──▶ Source.onResyncRequested
 * </pre>
 *
 * <p>Everything here is package-private except {@link io.loom.runtime.pipeline.DisruptorPipelineEngine},
 * the {@link java.util.ServiceLoader} entry point, and {@link io.loom.runtime.pipeline.StageLatencyHistograms},
 * the stages' full latency histograms for metrics exporters. The ring, publisher and overflow queue live in
 * this package rather than in their own so that they can stay package-private: they are one
 * mechanism with the engine, not a library of their own.
 */
package io.loom.runtime.pipeline;
