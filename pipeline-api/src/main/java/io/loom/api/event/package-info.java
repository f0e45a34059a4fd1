/**
 * The normalised market event: one pre-allocated, mutable ring slot per book level, trade or
 * status change, with prices and sizes as scaled {@code long}s.
 */
package io.loom.api.event;
