/**
 * Example: a consolidated best bid/offer of one instrument across venues, with crosses between
 * venues detected ({@link io.loom.examples.consolidated.ConsolidatedBboStage}), on recorded
 * sessions of several venues merged into one replay ({@link io.loom.examples.consolidated.SessionMerge}).
 */
package io.loom.examples.consolidated;
