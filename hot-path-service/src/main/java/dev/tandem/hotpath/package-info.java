/** hot-path-service: Tandem's reactive service for the public API, files, inference and real-time updates. */
@NullMarked
package dev.tandem.hotpath;

import org.jspecify.annotations.NullMarked;
