package dev.tandem.core.billing;

import java.util.Currency;
import java.util.Locale;

/**
 * Arithmetic on amounts in integer minor units (cents): the one place where a fraction of a cent
 * is rounded, half away from zero, so that a credit is exactly the negative of the charge it undoes.
 * Overflow throws rather than wraps.
 */
public final class Money {

    private Money() {}

    /** {@code amount × numerator / denominator}, rounded once, half away from zero. */
    public static long scale(long amount, long numerator, long denominator) {
        if (denominator <= 0) {
            throw new IllegalArgumentException("denominator must be positive");
        }
        long product = Math.multiplyExact(amount, numerator);
        long quotient = product / denominator;
        long remainder = Math.abs(product % denominator);
        if (Math.multiplyExact(remainder, 2) >= denominator) {
            quotient += Long.signum(product);
        }
        return quotient;
    }

    /** {@code basisPoints} hundredths of a percent of {@code amount}, rounded once. */
    public static long percent(long amount, int basisPoints) {
        return scale(amount, basisPoints, 10_000);
    }

    /** {@code amount} as people read it: {@code $19.00}, {@code -€0.41}, {@code ¥500}. */
    public static String format(long amount, String currencyCode) {
        Currency currency = Currency.getInstance(currencyCode);
        int digits = Math.max(currency.getDefaultFractionDigits(), 0);
        long unit = 1;
        for (int i = 0; i < digits; i++) {
            unit *= 10;
        }
        long whole = Math.abs(amount) / unit;
        long fraction = Math.abs(amount) % unit;
        String symbol = currency.getSymbol(Locale.US);
        String number = String.format(Locale.US, "%,d", whole)
                + (digits == 0 ? "" : "." + String.format("%0" + digits + "d", fraction));
        return (amount < 0 ? "-" : "") + (symbol.length() == 1 ? symbol : symbol + " ") + number;
    }
}
