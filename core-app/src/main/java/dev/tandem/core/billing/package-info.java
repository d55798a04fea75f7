/**
 * Billing's ground truth: the usage ledger ({@code billing_usage}), per account, UTC day and metric,
 * added up from hot-path-service's {@code usage.recorded} events. Plans and invoices build on it.
 */
@NullMarked
package dev.tandem.core.billing;

import org.jspecify.annotations.NullMarked;
