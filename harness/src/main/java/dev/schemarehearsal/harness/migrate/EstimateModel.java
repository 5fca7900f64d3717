package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalResult.Range;
import dev.schemarehearsal.harness.api.RehearsalResult.ProductionEstimate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A duration at production size fitted on measurements of the same work at several sizes of the same data: a fixed
 * cost (what it takes on empty tables) plus a cost per row read, or per row × log₂ rows where it sorts (index builds,
 * and rewrites, which rebuild every index), extrapolated to the rows it reads at production. DML reads and writes, and
 * the two grow apart: the reading with the rows read, the writing with the rows written, which the planner gives at
 * production's size. Measured on a generated shop at 1 to 100 % of its size, these models came within 0.66 to 1.5
 * times of the full size (docs/estimates-study.md); the range spans the readings of the other models and the other
 * sizes, widened by {@link #MARGIN}, and more where production crosses a memory threshold the measurements didn't or
 * plans otherwise.
 */
final class EstimateModel {
    /** How far beyond its readings' spread an estimate may be off: the growth models' spread in the study. */
    static final double MARGIN = 1.5;

    private EstimateModel() {
    }

    /** What the work grows with. */
    enum Growth {
        /** Each row read costs the same: scans, validations, DML. */
        LINEAR,
        /** A sort of the rows read: index builds, and rewrites, which rebuild the indexes. */
        SORT;

        double of(double rows) {
            return this == LINEAR ? rows : rows * Math.log(Math.max(rows, 2)) / Math.log(2);
        }

        String unit() {
            return this == LINEAR ? "row" : "row·log₂ rows";
        }
    }

    /**
     * The work measured at one size.
     *
     * @param rows    the rows it read, over every table
     * @param written the rows it wrote (DML), else 0
     * @param ms      how long it took
     */
    record Size(long rows, long written, double ms) { }

    /**
     * A reason to trust the fit less, said in the basis.
     *
     * @param text   e.g. {@code production's sort exceeds maintenance_work_mem (64 MB), the copy's did not}
     * @param factor how much wider the range gets: its high end times this
     * @param lowToo whether its low end goes down as far (the fit may be off either way)
     */
    record Caveat(String text, double factor, boolean lowToo) { }

    /**
     * What the statement does at production size.
     *
     * @param rows    the rows it reads there: each table's rows read on the largest copy times that table's
     *                production rows over its rows on the copy
     * @param written the rows it writes there, from the planner with production's statistics; negative when unknown
     */
    record Production(double rows, double written) { }

    /**
     * The statement's estimate from its sizes.
     *
     * @param sizes     at least one; a size that read no rows counts as the fixed cost
     * @param growth    how its work grows with the rows read
     * @param readShare for DML: the share of its time on the largest size spent reading (the rest writing), 0 to 1;
     *                  {@code null} for other statements, or DML where the engine doesn't tell
     * @param dml       whether it changes rows, so that its writing grows with the rows written
     */
    static ProductionEstimate statement(List<Size> sizes, Production production, Growth growth, boolean dml,
                                        Double readShare, List<Caveat> caveats) {
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("no size measured");
        }
        List<Size> sorted = sizes.stream().sorted(Comparator.comparingLong(Size::rows)).toList();
        Size top = sorted.get(sorted.size() - 1);
        String count = sizes.size() + (sizes.size() == 1 ? " size" : " sizes");
        if (top.rows() == 0) {
            double lowest = sorted.stream().mapToDouble(Size::ms).min().orElseThrow();
            double highest = sorted.stream().mapToDouble(Size::ms).max().orElseThrow();
            return finish(top.ms(), lowest, highest, String.format(Locale.ROOT, "no rows read at %s: %s as measured, "
                    + "whatever the size", count, ms(top.ms())), caveats);
        }
        String sizesRead = count + " (" + rows(sorted) + " rows read)";
        double fixed = fixed(sorted, growth);
        Growth used = dml ? Growth.LINEAR : growth;
        double variable = Math.max(0, top.ms() - fixed);
        double readRatio = production.rows() / top.rows();
        List<Double> readings = new ArrayList<>();
        List<Caveat> all = new ArrayList<>(caveats);
        if (variable <= 0 && sorted.get(0).rows() == 0) {
            // Rows were read, in no more time than the empty twin took: their cost is lost in the fixed cost's
            // spread, and none per row would make any size as fast. All of it counts per row; as measured is the low
            // end. (Without an empty twin the rows are a catalog's few, read whatever the size.)
            all.add(new Caveat(String.format(Locale.ROOT, "the rows' cost not told from the fixed cost (%s with "
                    + "them, %s without): all of it taken per row", ms(top.ms()), ms(fixed)), 1, false));
            readings.add(top.ms());
            fixed = 0;
            variable = top.ms();
        }
        double ms;
        String formula;
        if (dml) {
            double share = readShare == null ? 1 : readShare;
            double writeRatio = production.written() >= 0 && top.written() > 0 ? production.written() / top.written()
                    : readRatio;
            double read = share * variable;
            double write = variable - read;
            ms = fixed + read * readRatio + write * writeRatio;
            readings.add(fixed + variable * readRatio);
            readings.add(fixed + variable * writeRatio);
            for (Size size : sorted) {
                if (size != top && size.rows() > 0 && size.ms() > fixed) {
                    double sizeWrite = production.written() >= 0 && size.written() > 0
                            ? production.written() / size.written() : production.rows() / size.rows();
                    readings.add(fixed + (size.ms() - fixed) * (share * production.rows() / size.rows()
                            + (1 - share) * sizeWrite));
                }
            }
            formula = readShare == null
                    ? String.format(Locale.ROOT, "%s + %s × %s rows read", ms(fixed), ms(variable), ratio(readRatio))
                    : String.format(Locale.ROOT, "%s + %s reading × %s + %s writing × %s", ms(fixed), ms(read),
                    ratio(readRatio), ms(write), ratio(writeRatio));
            if (production.written() >= 0) {
                formula += String.format(Locale.ROOT, " (%,.0f rows written at production, by the planner)",
                        production.written());
            }
        } else {
            double perUnit = variable / used.of(top.rows());
            ms = fixed + perUnit * used.of(production.rows());
            Growth other = used == Growth.LINEAR ? Growth.SORT : Growth.LINEAR;
            readings.add(fixed + variable / other.of(top.rows()) * other.of(production.rows()));
            for (Size size : sorted) {
                if (size != top && size.rows() > 0 && size.ms() > fixed) {
                    readings.add(fixed + (size.ms() - fixed) / used.of(size.rows()) * used.of(production.rows()));
                }
            }
            formula = String.format(Locale.ROOT, "%s + %s/%s", ms(fixed), perRow(perUnit), used.unit());
        }
        readings.add(ms);
        double low = readings.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double high = readings.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return finish(ms, low, high, String.format(Locale.ROOT, "fit on %s: %s; %,.0f rows read at production",
                sizesRead, formula, production.rows()), all);
    }

    /**
     * A backfill's estimate: its batches' time at each size, per batch as a fixed cost plus a cost per row of the table
     * (a batch that scans grows with it, one that reads its keys through an index doesn't), times the batches
     * production needs.
     *
     * @param sizes each size's table rows ({@link Size#rows}), batches ({@link Size#written}) and total time
     */
    static ProductionEstimate backfill(List<Size> sizes, long productionRows, int batch, List<Caveat> caveats) {
        List<Size> walked = sizes.stream().filter(s -> s.written() > 0).sorted(Comparator.comparingLong(Size::rows)).toList();
        if (walked.isEmpty()) {
            throw new IllegalArgumentException("no size walked a batch");
        }
        double batches = Math.ceil((double) productionRows / batch);
        Size top = walked.get(walked.size() - 1);
        double topBatch = top.ms() / top.written();
        double perBatch = topBatch;
        String basis;
        List<Double> readings = new ArrayList<>(List.of(topBatch * batches));
        if (walked.size() > 1 && top.rows() > walked.get(0).rows()) {
            Size first = walked.get(0);
            double firstBatch = first.ms() / first.written();
            double perRow = Math.max(0, (topBatch - firstBatch) / (top.rows() - first.rows()));
            perBatch = topBatch + perRow * Math.max(0, productionRows - top.rows());
            readings.add(firstBatch * batches);
            basis = String.format(Locale.ROOT, "batches of %,d on %d sizes: %s each at %,d rows, %s at %,d; %s each at "
                            + "production's %,d rows, %,.0f batches", batch, walked.size(), ms(firstBatch), first.rows(),
                    ms(topBatch), top.rows(), ms(perBatch), productionRows, batches);
        } else {
            basis = String.format(Locale.ROOT, "batches of %,d at %,d rows: %s each; %,.0f batches at production's %,d "
                    + "rows", batch, top.rows(), ms(topBatch), batches, productionRows);
        }
        double ms = perBatch * batches;
        readings.add(ms);
        return finish(ms, readings.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                readings.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), basis, caveats);
    }

    /**
     * The fixed cost: the time of the sizes that read no rows (the empty twin), else where the line through the
     * smallest and the largest size meets no rows; never above the largest size's time.
     */
    private static double fixed(List<Size> sorted, Growth growth) {
        Size top = sorted.get(sorted.size() - 1);
        List<Size> empty = sorted.stream().filter(s -> s.rows() == 0).toList();
        double fixed;
        if (!empty.isEmpty()) {
            fixed = empty.stream().mapToDouble(Size::ms).sorted().skip((empty.size() - 1) / 2).findFirst().orElseThrow();
        } else {
            Size first = sorted.get(0);
            if (first == top || first.rows() == top.rows()) {
                return 0;
            }
            double slope = (top.ms() - first.ms()) / (growth.of(top.rows()) - growth.of(first.rows()));
            fixed = first.ms() - slope * growth.of(first.rows());
        }
        return Math.max(0, Math.min(fixed, top.ms()));
    }

    private static ProductionEstimate finish(double ms, double low, double high, String basis, List<Caveat> caveats) {
        double lowest = low / MARGIN;
        double highest = high * MARGIN;
        StringBuilder text = new StringBuilder(basis);
        for (Caveat caveat : caveats) {
            highest *= caveat.factor();
            if (caveat.lowToo()) {
                lowest /= caveat.factor();
            }
            text.append("; ").append(caveat.text());
        }
        long estimate = Math.round(ms);
        return new ProductionEstimate(estimate, new Range(Math.min(estimate, (long) Math.floor(lowest)),
                Math.max(estimate, (long) Math.ceil(highest))), text.toString());
    }

    private static String rows(List<Size> sorted) {
        List<String> rows = sorted.stream().map(s -> String.format(Locale.ROOT, "%,d", s.rows())).toList();
        return rows.size() == 1 ? rows.get(0) : String.join(", ", rows.subList(0, rows.size() - 1)) + " and "
                + rows.get(rows.size() - 1);
    }

    /** A duration for a person: {@code 0.9 ms}, {@code 12 ms}, {@code 1,234 ms}. */
    static String ms(double ms) {
        return ms < 10 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%,.0f ms", ms);
    }

    private static String perRow(double msPerUnit) {
        double us = msPerUnit * 1000;
        return us >= 100 ? String.format(Locale.ROOT, "%,.0f µs", us)
                : us >= 0.1 ? String.format(Locale.ROOT, "%.2f µs", us) : String.format(Locale.ROOT, "%.1f ns", us * 1000);
    }

    private static String ratio(double ratio) {
        return ratio >= 10 ? String.format(Locale.ROOT, "%,.0f", ratio) : String.format(Locale.ROOT, "%.1f", ratio);
    }

    /** The caveats' texts, for a log line. */
    static String texts(List<Caveat> caveats) {
        return caveats.stream().map(Caveat::text).collect(Collectors.joining("; "));
    }
}
