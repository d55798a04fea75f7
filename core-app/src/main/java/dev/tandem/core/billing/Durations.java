package dev.tandem.core.billing;

/** Amounts of time and storage as people read them, in whole units (integer arithmetic only). */
final class Durations {

    private Durations() {}

    /** {@code 12 days 3 h}, {@code 5 h 20 min}, {@code 40 s}. */
    static String describe(long seconds) {
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        if (days > 0) {
            return days + (days == 1 ? " day" : " days") + (hours > 0 ? " " + hours + " h" : "");
        }
        if (hours > 0) {
            return hours + " h" + (minutes > 0 ? " " + minutes + " min" : "");
        }
        return minutes > 0 ? minutes + " min" : seconds + " s";
    }

    /** {@code 50 GB}, {@code 1.5 GB}: binary units, one decimal at most. */
    static String bytes(long bytes) {
        String[] units = {"bytes", "KB", "MB", "GB", "TB"};
        int unit = 0;
        long scale = 1;
        while (unit < units.length - 1 && bytes >= scale * 1024) {
            scale *= 1024;
            unit++;
        }
        long tenths = Money.scale(bytes, 10, scale);
        return (tenths % 10 == 0 ? String.valueOf(tenths / 10) : tenths / 10 + "." + tenths % 10) + " " + units[unit];
    }
}
