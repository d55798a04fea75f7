package dev.tandem.core.identity.account;

/** Display names are trimmed, with runs of white space collapsed (the schema refuses padding). */
final class DisplayNames {

    private DisplayNames() {}

    static String normalize(String displayName) {
        return displayName.strip().replaceAll("\\s+", " ");
    }
}
