/** The shared PostgreSQL schema: its Flyway migrations and the entry point that applies them. */
@NullMarked
package dev.tandem.schema;

import org.jspecify.annotations.NullMarked;
