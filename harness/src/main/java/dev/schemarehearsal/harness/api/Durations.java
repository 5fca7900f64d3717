package dev.schemarehearsal.harness.api;

import java.util.Locale;

/**
 * Durations as a person reads them, the same in the log, report.html, summary.md, JUnit and SARIF messages:
 * {@code 850 ms}, {@code 1.3 s}, {@code 42 s}, {@code 5 min 3 s}, {@code 1 h 32 min}. report.json keeps milliseconds.
 */
public final class Durations {
    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private Durations() {
    }

    /** The duration in the largest units that keep it short, rounded to the nearest of the smallest one shown. */
    public static String human(long ms) {
        if (ms < 0) {
            return "-" + human(-ms);
        }
        if (ms < SECOND) {
            return ms + " ms";
        }
        if (ms < 10 * SECOND) {
            // One decimal, without a trailing ".0" that would read as more precision than the figure has.
            String seconds = String.format(Locale.ROOT, "%.1f", ms / 1000.0);
            return (seconds.endsWith(".0") ? seconds.substring(0, seconds.length() - 2) : seconds) + " s";
        }
        if (ms < MINUTE - SECOND / 2) {
            return Math.round(ms / 1000.0) + " s";
        }
        if (ms < HOUR - MINUTE / 2) {
            long seconds = Math.round(ms / 1000.0);
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        long minutes = Math.round(ms / 60_000.0);
        return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }
}
