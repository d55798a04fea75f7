/** The shared PostgreSQL schema: its Flyway migrations and the entry point that applies them. */
package dev.tandem.schema;
