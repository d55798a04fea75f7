/**
 * Billing: the plan catalogue with versioned prices, one subscription per workspace with proration,
 * payments through a provider behind a port (a sandbox built in), invoices made once per period by a
 * cluster-safe job, and the usage ledger ({@code billing_usage}) that prices the overage.
 * docs/billing.md describes the model and its rules.
 */
@NullMarked
package dev.tandem.core.billing;

import org.jspecify.annotations.NullMarked;
