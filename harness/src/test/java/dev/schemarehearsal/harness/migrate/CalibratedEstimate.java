package dev.schemarehearsal.harness.migrate;

import java.util.Locale;

/**
 * A prototype of a production estimate calibrated on sizes of the same data, for the estimate study: the statement
 * measured on an empty twin of its tables (the fixed cost), on the sample and on a copy of the sample scaled up, then
 * extrapolated to production's rows. DDL grows with the rows of its table, or rows × log rows where it sorts (index
 * builds, and rewrites, which rebuild every index); DML reads and writes, and the two grow apart: the reading with the
 * tables it scans, the writing with the rows it changes, which the planner gives at production's size.
 */
final class CalibratedEstimate {
    /**
     * How far beyond its readings' spread an estimate may be off: fitted on two small sizes, the growth models
     * predicted the full size's CPU time within 0.75 to 1.7 times in the study.
     */
    static final double MARGIN = 1.5;

    private CalibratedEstimate() {
    }

    /** The statement measured once: the rows it read (its work's size), and its duration. */
    record Measurement(long rows, double ms) { }

    /** What the work grows with. */
    enum Growth {
        LINEAR, SORT;

        double of(double rows) {
            return this == LINEAR ? rows : rows * Math.log(Math.max(rows, 2)) / Math.log(2);
        }
    }

    /**
     * @param ms     the estimate
     * @param lowMs  the lowest of the readings of the same measurements (other growth, the sample alone), over
     *               {@link #MARGIN}
     * @param highMs the highest of them, times {@link #MARGIN}
     * @param basis  one line: what was measured and fitted
     */
    record Estimate(double ms, double lowMs, double highMs, String basis) {
        /** Whether the estimate is within the factor of the actual duration, durations under the floor counting as the floor. */
        boolean within(double actualMs, double factor, double floorMs) {
            double ratio = Math.max(ms, floorMs) / Math.max(actualMs, floorMs);
            return ratio <= factor && ratio >= 1 / factor;
        }

        boolean covers(double actualMs) {
            return actualMs >= lowMs && actualMs <= highMs;
        }
    }

    /**
     * DDL: fixed cost from the empty twin, growth per row (or per row × log₂ rows) from the sample to the scaled copy,
     * extrapolated from the scaled copy. The range is spanned by the other growth and by the sample's own cost per
     * row: where they disagree, the measurements don't tell which holds.
     */
    static Estimate ddl(Measurement empty, Measurement sample, Measurement scaled, long productionRows, Growth growth) {
        double fixed = Math.min(empty.ms(), sample.ms());
        double ms = extrapolate(fixed, sample, scaled, productionRows, growth);
        Growth other = growth == Growth.LINEAR ? Growth.SORT : Growth.LINEAR;
        double alternative = extrapolate(fixed, sample, scaled, productionRows, other);
        double fromSample = sample.rows() == 0 ? ms
                : fixed + (sample.ms() - fixed) * growth.of(productionRows) / growth.of(sample.rows());
        double low = Math.min(ms, Math.min(alternative, fromSample)) / MARGIN;
        double high = Math.max(ms, Math.max(alternative, fromSample)) * MARGIN;
        double perUnit = slope(fixed, sample, scaled, growth);
        return new Estimate(ms, low, high, String.format(Locale.ROOT, "fit on 3 sizes (0, %,d and %,d rows): %.1f ms + %.3f µs/%s",
                sample.rows(), scaled.rows(), fixed, perUnit * 1000, growth == Growth.LINEAR ? "row" : "row·log₂ rows"));
    }

    /**
     * DML: fixed cost from the empty twin; the scaled copy's time split by EXPLAIN ANALYZE into reading (the
     * ModifyTable's input) and writing; reading scaled by the read ratio, writing by the write ratio. The range is
     * spanned by the same split applied to the sample instead of the scaled copy, and by plain row scaling.
     *
     * @param readShare  the ModifyTable's input's share of its time, 0 to 1
     * @param readRatio  production's rows of the largest table read in full over the scaled copy's
     * @param writeRatio the rows the planner expects the statement to change at production over the rows it changed
     *                   on the scaled copy
     */
    static Estimate dml(Measurement empty, Measurement sample, Measurement scaled, long productionRows, double readShare,
                        double readRatio, double writeRatio) {
        double fixed = Math.min(empty.ms(), sample.ms());
        double variable = Math.max(0, scaled.ms() - fixed);
        double read = readShare * variable;
        double write = variable - read;
        double ms = fixed + read * readRatio + write * writeRatio;
        double scaledBy = (double) scaled.rows() / Math.max(sample.rows(), 1);
        double fromSample = sample.rows() == 0 ? ms
                : fixed + Math.max(0, sample.ms() - fixed) * (readShare * readRatio + (1 - readShare) * writeRatio) * scaledBy;
        double plain = extrapolate(fixed, sample, scaled, productionRows, Growth.LINEAR);
        return new Estimate(ms, Math.min(ms, Math.min(fromSample, plain)) / MARGIN,
                Math.max(ms, Math.max(fromSample, plain)) * MARGIN,
                String.format(Locale.ROOT, "%.1f ms fixed + %.1f ms reading × %.1f + %.1f ms writing × %.1f on %,d rows",
                        fixed, read, readRatio, write, writeRatio, scaled.rows()));
    }

    private static double extrapolate(double fixed, Measurement sample, Measurement scaled, long productionRows,
                                      Growth growth) {
        return scaled.ms() + slope(fixed, sample, scaled, growth) * (growth.of(productionRows) - growth.of(scaled.rows()));
    }

    /**
     * Cost per unit of growth between the sample and the scaled copy; through the fixed cost when noise makes it
     * negative; none when the statement read no rows (its work doesn't grow with any table).
     */
    private static double slope(double fixed, Measurement sample, Measurement scaled, Growth growth) {
        if (scaled.rows() <= sample.rows()) {
            return 0;
        }
        double between = (scaled.ms() - sample.ms()) / (growth.of(scaled.rows()) - growth.of(sample.rows()));
        return between > 0 ? between : Math.max(0, (scaled.ms() - fixed) / growth.of(scaled.rows()));
    }
}
