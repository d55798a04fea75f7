/**
 * The staff admin's JPA mappings of billing's tables (plans, prices, tax rates, subscriptions with
 * their history, invoices with their lines) and their registration. Only the admin reads and writes
 * through them; billing itself works with SQL and its aggregate.
 */
@NullMarked
package dev.tandem.core.billing.admin;

import org.jspecify.annotations.NullMarked;
