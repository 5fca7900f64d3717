package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalResult.ProductionEstimate;
import dev.schemarehearsal.harness.migrate.EstimateModel.Growth;
import dev.schemarehearsal.harness.migrate.EstimateModel.Production;
import dev.schemarehearsal.harness.migrate.EstimateModel.Size;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Prints the estimate study's tables from the CSV file {@link EstimateStudy} writes: per statement kind the
 * measurements at each size, how well each growth model fitted on the small generated sizes predicts the full size,
 * and the rehearsal's path: today's estimate from the loaded sample beside the calibrated one ({@link EstimateModel})
 * from the empty twin, the sample and the sample scaled up 5 times. Durations under {@link #FLOOR_MS} count as that much
 * when ratios are taken: below it no lock matters and the clock's resolution decides.
 *
 * <p>Argument: the CSV file.
 */
public final class EstimateFits {
    static final String HEADER = "kind,database,rows,ms,cpu_ms,changed,wal_bytes,temp_bytes,planned_rows,read_share,read";
    static final double FLOOR_MS = 10;
    private static final String TABLE = "table:";

    private EstimateFits() {
    }

    /** One line of the file: a statement kind measured on one database. */
    record Line(String kind, String database, long rows, double ms, double cpuMs, long changed, long walBytes,
                long tempBytes, long plannedRows, double readShare, Map<String, Long> read) {
        static Line parse(String text) {
            String[] f = text.split(",", -1);
            Map<String, Long> read = new LinkedHashMap<>();
            for (String pair : f[10].isEmpty() ? new String[0] : f[10].split(" ")) {
                read.put(pair.substring(0, pair.indexOf(':')), Long.parseLong(pair.substring(pair.indexOf(':') + 1)));
            }
            return new Line(f[0], f[1], Long.parseLong(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]),
                    Double.parseDouble(f[9]), read);
        }
    }

    static String tableLine(String table, String database, long rows) {
        return String.join(",", TABLE + table, database, String.valueOf(rows), "0", "0", "0", "0", "0", "-1", "-1", "");
    }

    public static void main(String[] args) throws Exception {
        Map<String, Map<String, Line>> kinds = new LinkedHashMap<>();
        Map<String, Map<String, Long>> tables = new LinkedHashMap<>();
        for (String text : Files.readAllLines(Path.of(args[0])).subList(1, Files.readAllLines(Path.of(args[0])).size())) {
            Line line = Line.parse(text);
            if (line.kind().startsWith(TABLE)) {
                tables.computeIfAbsent(line.kind().substring(TABLE.length()), t -> new LinkedHashMap<>())
                        .put(line.database(), line.rows());
            } else {
                kinds.computeIfAbsent(line.kind(), k -> new LinkedHashMap<>()).put(line.database(), line);
            }
        }
        Map<String, EstimateShop.Kind> byName = new LinkedHashMap<>();
        EstimateShop.postgresKinds().forEach(k -> byName.put(k.name(), k));
        measurements(kinds);
        growth(kinds, byName, "duration", Line::ms);
        growth(kinds, byName, "CPU time of the server process", Line::cpuMs);
        for (String[] pair : new String[][] {{"sample_x1", "sample_x5"}, {"vacuumed_x1", "vacuumed_x5"},
                {"shop_000", "proportional"}}) {
            rehearsalPath(kinds, tables, byName, pair[0], pair[1], "duration", Line::ms);
            rehearsalPath(kinds, tables, byName, pair[0], pair[1], "CPU time", Line::cpuMs);
        }
    }

    private static void measurements(Map<String, Map<String, Line>> kinds) {
        System.out.println("\n## Measurements (median of the rounds; µs/row: above the empty table's duration)\n");
        System.out.println("| kind | database | rows | ms | CPU ms | µs/row | CPU µs/row | rows changed | WAL MB | temp MB |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Map.Entry<String, Map<String, Line>> kind : kinds.entrySet()) {
            Line empty = kind.getValue().get("shop_000");
            for (Line line : kind.getValue().values()) {
                System.out.printf(Locale.ROOT, "| %s | %s | %,d | %,.1f | %,.1f | %s | %s | %,d | %,.1f | %,.1f |%n",
                        line.kind(), line.database(), line.rows(), line.ms(), line.cpuMs(),
                        perRow(line.rows(), line.ms() - empty.ms()), perRow(line.rows(), line.cpuMs() - empty.cpuMs()),
                        line.changed(), line.walBytes() / 1048576.0, line.tempBytes() / 1048576.0);
            }
        }
    }

    private static String perRow(long rows, double ms) {
        return rows == 0 ? "-" : String.format(Locale.ROOT, "%.3f", ms * 1000 / rows);
    }

    /** Each growth model fitted on two small generated sizes, extrapolated to the full size, over the full size's figure. */
    private static void growth(Map<String, Map<String, Line>> kinds, Map<String, EstimateShop.Kind> byName, String what,
                               ToDoubleFunction<Line> time) {
        System.out.printf("%n## Growth models on the generated sizes: prediction of the 100 %% %s over the measured%n%n", what);
        System.out.println("| kind | 100 % measured | today: 1 % × 100 | linear 0–1 % | linear 1–5 % | n·log n 1–5 % "
                + "| linear 5–20 % | n·log n 5–20 % |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        int[] within = new int[6];
        for (Map.Entry<String, Map<String, Line>> kind : kinds.entrySet()) {
            Map<String, Line> at = kind.getValue();
            double full = time.applyAsDouble(at.get("shop_100"));
            long rows = at.get("shop_100").rows();
            double[] predictions = {
                    time.applyAsDouble(at.get("shop_001")) * rows / at.get("shop_001").rows(),
                    twoPoint(at.get("shop_000"), at.get("shop_001"), rows, Growth.LINEAR, time),
                    twoPoint(at.get("shop_001"), at.get("shop_005"), rows, Growth.LINEAR, time),
                    twoPoint(at.get("shop_001"), at.get("shop_005"), rows, Growth.SORT, time),
                    twoPoint(at.get("shop_005"), at.get("shop_020"), rows, Growth.LINEAR, time),
                    twoPoint(at.get("shop_005"), at.get("shop_020"), rows, Growth.SORT, time)};
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %,.0f ms |", kind.getKey(), full));
            for (int i = 0; i < predictions.length; i++) {
                double ratio = ratio(predictions[i], full);
                within[i] += ratio >= 0.5 && ratio <= 2 ? 1 : 0;
                row.append(String.format(Locale.ROOT, " %.2f |", ratio));
            }
            System.out.println(row);
        }
        StringBuilder shares = new StringBuilder("| within 2× | |");
        for (int count : within) {
            shares.append(String.format(Locale.ROOT, " %d of %d |", count, kinds.size()));
        }
        System.out.println(shares);
    }

    private static double twoPoint(Line small, Line large, long rows, Growth growth, ToDoubleFunction<Line> time) {
        double slope = (time.applyAsDouble(large) - time.applyAsDouble(small)) / (growth.of(large.rows()) - growth.of(small.rows()));
        return time.applyAsDouble(large) + slope * (growth.of(rows) - growth.of(large.rows()));
    }

    /**
     * Today's estimate and the calibrated one, both from what a rehearsal of the loaded sample can measure: the
     * sample's duration times the largest row ratio of the tables it read, against the calibrated fit on the empty
     * twin, the sample and its copy scaled up, sized by the rows the statement read in each table.
     */
    private static void rehearsalPath(Map<String, Map<String, Line>> kinds, Map<String, Map<String, Long>> tables,
                                      Map<String, EstimateShop.Kind> byName, String sampleName, String scaledName,
                                      String what, ToDoubleFunction<Line> time) {
        System.out.printf("%n## From the rehearsal's sample (%s, %s), %s: today's estimate and the calibrated one "
                + "against the full size%n%n", sampleName, scaledName, what);
        System.out.println("| kind | 100 % measured | sample | ×5 copy | today | today / full | calibrated | calibrated / full "
                + "| range | in range | basis |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        int today = 0;
        int calibrated = 0;
        int covered = 0;
        for (Map.Entry<String, Map<String, Line>> entry : kinds.entrySet()) {
            EstimateShop.Kind kind = byName.get(entry.getKey());
            Map<String, Line> at = entry.getValue();
            Line sample = at.get(sampleName);
            Line scaled = at.get(scaledName);
            double full = time.applyAsDouble(at.get("shop_100"));
            // Today's rule on the sample; on the proportional copy, which has no sample, the same rule on the copy.
            Line base = sample.read().isEmpty() && !scaled.read().isEmpty() ? scaled : sample;
            double todayMs = time.applyAsDouble(base) * base.read().keySet().stream()
                    .mapToDouble(t -> (double) tables.get(t).get("production") / tables.get(t).get(base.database()))
                    .max().orElse(1);
            List<Size> sizes = List.of(new Size(0, 0, time.applyAsDouble(at.get("shop_000"))),
                    new Size(total(sample.read()), sample.changed(), time.applyAsDouble(sample)),
                    new Size(total(scaled.read()), scaled.changed(), time.applyAsDouble(scaled)));
            double productionRead = scaled.read().entrySet().stream().mapToDouble(e -> e.getValue()
                    * (double) tables.get(e.getKey()).get("production") / tables.get(e.getKey()).get(scaledName)).sum();
            ProductionEstimate estimate = EstimateModel.statement(sizes, new Production(productionRead,
                    kind.dml() ? scaled.plannedRows() : -1), growth(kind), kind.dml(),
                    kind.dml() ? scaled.readShare() : null, List.of());
            boolean covers = estimate.range().low() <= full && full <= estimate.range().high();
            double calibratedRatio = ratio(estimate.ms(), full);
            double todayRatio = ratio(todayMs, full);
            today += todayRatio >= 0.5 && todayRatio <= 2 ? 1 : 0;
            calibrated += calibratedRatio >= 0.5 && calibratedRatio <= 2 ? 1 : 0;
            covered += covers ? 1 : 0;
            System.out.printf(Locale.ROOT, "| %s | %,.0f ms | %,.1f ms | %,.1f ms | %,.0f ms | %.2f | %,d ms | %.2f "
                            + "| %,d–%,d ms | %s | %s |%n", kind.name(), full, sizes.get(1).ms(), sizes.get(2).ms(), todayMs,
                    todayRatio, estimate.ms(), calibratedRatio, estimate.range().low(), estimate.range().high(),
                    covers ? "yes" : "no", estimate.basis());
        }
        System.out.printf(Locale.ROOT, "%nwithin 2×: today %d of %d, calibrated %d of %d; full size within the "
                + "calibrated range: %d of %d%n", today, kinds.size(), calibrated, kinds.size(), covered, kinds.size());
    }

    private static long total(Map<String, Long> read) {
        return read.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Index builds sort; rewrites rebuild every index, so they sort too; the rest reads row by row. */
    static Growth growth(EstimateShop.Kind kind) {
        return kind.name().startsWith("index") || kind.name().equals("volatile-default") || kind.name().equals("type-change")
                ? Growth.SORT : Growth.LINEAR;
    }

    private static double ratio(double estimate, double actual) {
        return Math.max(estimate, FLOOR_MS) / Math.max(actual, FLOOR_MS);
    }
}
