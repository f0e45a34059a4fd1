/** Stages: single-threaded consumers of the pipeline's ring (order books, analytics, user code). */
package io.loom.api.stage;
