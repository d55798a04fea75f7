/** hot-path-service: Tandem's reactive service for the public API, files, inference and real-time updates. */
package dev.tandem.hotpath;
