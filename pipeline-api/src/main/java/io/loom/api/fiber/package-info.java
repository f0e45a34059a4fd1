/**
 * What fiber code is written against: the {@link io.loom.api.fiber.Reactor} that runs fibers, the
 * {@link io.loom.api.fiber.Baton} they wait on, timers and the {@link io.loom.api.fiber.NanoClock}
 * that times them. The implementation lives in {@code io.loom.runtime.fiber}.
 */
package io.loom.api.fiber;
