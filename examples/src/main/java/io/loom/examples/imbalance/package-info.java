/**
 * Example: a custom stage reading the order-book stage's view, the top-N book imbalance
 * ({@link io.loom.examples.imbalance.ImbalanceStage}, run by
 * {@link io.loom.examples.imbalance.ImbalanceExample}).
 */
package io.loom.examples.imbalance;
