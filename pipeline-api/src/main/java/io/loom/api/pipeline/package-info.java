/**
 * The pipeline DSL: sources publish into a ring, stages consume it in a topology that reads like
 * the code that builds it.
 *
 * <pre>
 *   source ─┐                  ┌─▶ "imbalance" ─┐
 *   source ─┼─▶ ring ─▶ "books"┤                ├─▶ "sink"
 *   source ─┘                  └─▶ "spread" ────┘
 * </pre>
 */
package io.loom.api.pipeline;
