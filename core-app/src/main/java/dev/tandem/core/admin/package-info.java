/**
 * The staff admin ({@code /admin}, staff with their second factor), built like Django's: each
 * entity registered with a {@link dev.tandem.core.admin.ModelAdmin} bean gets a searchable,
 * filterable change list with bulk actions and CSV export, a change form with optimistic locking,
 * a delete page that previews the database's cascade, and a history in {@code audit_log}. Every
 * write is published as {@code admin.record_changed}. The ops pages show the health of both
 * services and the bus.
 */
@NullMarked
package dev.tandem.core.admin;

import org.jspecify.annotations.NullMarked;
