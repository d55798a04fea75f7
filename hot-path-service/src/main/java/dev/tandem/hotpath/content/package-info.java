/**
 * Posts and comments, which hot-path-service owns: written and read through the reactive
 * PostgreSQL client with keyset pagination, conditional GETs and idempotent POSTs.
 */
@NullMarked
package dev.tandem.hotpath.content;

import org.jspecify.annotations.NullMarked;
