package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.RehearsalResult.BackfillResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Batch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static dev.schemarehearsal.harness.report.SvgChart.n;
import static dev.schemarehearsal.harness.report.SvgChart.polyline;
import static dev.schemarehearsal.harness.report.SvgChart.rect;

/**
 * One backfill's batches as two inline SVG charts: each batch's latency as a bar, with the longest probe stall it
 * caused as a line over the bars; and the rows done against the time the batches took, whose slope is the rows/s.
 * Their legend comes before them, and how batches were grouped into bars after.
 */
final class BackfillChart {
    private static final int HEIGHT = 200;
    /** More batches than this are drawn in groups: each group's slowest batch and longest stall, so none hides. */
    private static final int MAX_BARS = 240;

    /** Consecutive batches drawn as one bar. */
    private record Group(int first, int last, long rows, long durationMs, long slowestMs, long stallMs) { }

    private final String id;
    private final String name;
    private final int batches;
    private final List<Group> groups;

    /** {@code id} tells the page's charts apart; the backfill's name goes in the titles only, as text. */
    BackfillChart(String id, BackfillResult backfill) {
        this.id = id;
        this.name = backfill.name();
        this.batches = backfill.perBatch().size();
        this.groups = groups(backfill.perBatch());
    }

    /** How many bars the latency chart draws: one per batch, or one per group of them; 0 draws nothing. */
    int bars() {
        return groups.size();
    }

    void write(HtmlWriter html) throws IOException {
        html.start("p").swatch("batch", "batch latency").swatch("stall", "longest probe stall in the batch")
                .swatch("rows", "rows done (right chart: slope = rows/s)").end();
        latency(html);
        rows(html);
        if (batches > bars()) {
            html.element("p", "muted", String.format("%,d batches drawn in %,d bars, each the slowest batch and the "
                    + "longest stall of its group.", batches, bars()));
        }
    }

    private void latency(HtmlWriter html) throws IOException {
        long max = groups.stream().mapToLong(g -> Math.max(g.slowestMs(), g.stallMs())).max().orElse(0);
        SvgChart chart = new SvgChart(HEIGHT, groups.size(), Math.max(10, max));
        int last = groups.get(groups.size() - 1).last();
        chart.open(html, id + "-latency", "backfill batch latency and probe stall per batch",
                "Batch latency and the longest probe stall per batch (ms) of " + name);
        chart.axes(html, i -> batchTick(i / groups.size() * last, last), ms -> String.format("%,.0f", ms), "ms");
        for (int i = 0; i < groups.size(); i++) {
            Group group = groups.get(i);
            double x = chart.x(i);
            double y = chart.y(group.slowestMs());
            rect(html, "batch", x, y, Math.max(0.5, chart.x(i + 1) - x - 1), chart.bottom() - y,
                    (group.first() == group.last() ? "batch " + group.first()
                            : "batches " + group.first() + "–" + group.last() + ", slowest")
                            + String.format(": %,d ms, probe stall %,d ms, %,d rows", group.slowestMs(), group.stallMs(),
                            group.rows()));
        }
        StringBuilder stall = new StringBuilder();
        for (int i = 0; i < groups.size(); i++) {
            double y = chart.y(groups.get(i).stallMs());
            stall.append(n(chart.x(i))).append(',').append(n(y)).append(' ')
                    .append(n(chart.x(i + 1))).append(',').append(n(y)).append(' ');
        }
        polyline(html, "stall", stall.toString().strip(), "longest probe stall per batch");
        html.end();
    }

    private void rows(HtmlWriter html) throws IOException {
        long totalMs = groups.stream().mapToLong(Group::durationMs).sum();
        long totalRows = groups.stream().mapToLong(Group::rows).sum();
        SvgChart chart = new SvgChart(HEIGHT, totalMs, totalRows);
        chart.open(html, id + "-rows", "backfill rows done over batch time",
                "Rows done over the time the batches of " + name + " took: the slope is the rows per second");
        chart.axes(html, ms -> String.format("%,.0f ms", ms), rows -> String.format("%,.0f", rows), "rows done");
        List<String> points = new ArrayList<>(List.of(n(chart.x(0)) + "," + n(chart.y(0))));
        long ms = 0;
        long rows = 0;
        for (Group group : groups) {
            ms += group.durationMs();
            rows += group.rows();
            points.add(n(chart.x(ms)) + "," + n(chart.y(rows)));
        }
        polyline(html, "rows", String.join(" ", points), String.format("%,d rows in %,d ms of batches", totalRows, totalMs));
        html.end();
    }

    /** Batches done at a tick: half of 5 is 2.5, not 3; the last tick names the unit. */
    private static String batchTick(double done, int batches) {
        String count = done == Math.rint(done) ? String.format("%,.0f", done) : String.format("%,.1f", done);
        return done >= batches ? count + " batches" : count;
    }

    private static List<Group> groups(List<Batch> batches) {
        int size = Math.max(1, (batches.size() + MAX_BARS - 1) / MAX_BARS);
        List<Group> groups = new ArrayList<>();
        for (int start = 0; start < batches.size(); start += size) {
            List<Batch> slice = batches.subList(start, Math.min(batches.size(), start + size));
            groups.add(new Group(slice.get(0).index(), slice.get(slice.size() - 1).index(),
                    slice.stream().mapToLong(Batch::rows).sum(), slice.stream().mapToLong(Batch::durationMs).sum(),
                    slice.stream().mapToLong(Batch::durationMs).max().orElse(0),
                    slice.stream().mapToLong(Batch::probeStallMs).max().orElse(0)));
        }
        return groups;
    }
}
