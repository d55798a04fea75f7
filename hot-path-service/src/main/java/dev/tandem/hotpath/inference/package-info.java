/**
 * Machine-learning inference in the request path: models loaded once at start, shared by every
 * caller through micro-batching on a worker thread (never an event loop), bounded queues that
 * refuse with 503 rather than queue forever.
 */
@NullMarked
package dev.tandem.hotpath.inference;

import org.jspecify.annotations.NullMarked;
