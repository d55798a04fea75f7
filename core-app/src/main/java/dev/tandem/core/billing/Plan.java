package dev.tandem.core.billing;

/** A plan of the catalogue as billing reads it: its quotas and trial (prices are {@link Price}). */
public record Plan(
        long id,
        String code,
        String name,
        String description,
        int trialDays,
        int includedSeats,
        long apiCallsPerMonth,
        long inferenceTextsPerMonth,
        long storageBytes,
        int requestsPerMinute) {

    /** The plan of a workspace without a live subscription. */
    public static final String FREE = "free";
}
