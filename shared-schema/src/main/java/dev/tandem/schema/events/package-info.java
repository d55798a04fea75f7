/**
 * The events on the bus as plain records: the envelope every message carries and one record per
 * event type's {@code data}. Each has a JSON Schema under {@code contracts/} in this module.
 */
@NullMarked
package dev.tandem.schema.events;

import org.jspecify.annotations.NullMarked;
