package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.RehearsalResult.ProbeKind;
import dev.schemarehearsal.harness.api.RehearsalResult.ProbeSample;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementSpan;
import dev.schemarehearsal.harness.api.RehearsalResult.Timeline;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

import static dev.schemarehearsal.harness.report.SvgChart.label;
import static dev.schemarehearsal.harness.report.SvgChart.n;
import static dev.schemarehearsal.harness.report.SvgChart.polyline;
import static dev.schemarehearsal.harness.report.SvgChart.rect;
import static dev.schemarehearsal.harness.report.SvgChart.shape;

/**
 * The probe workload's latency over the migrate phase as an inline SVG chart: one line per probe kind, each
 * statement a shaded band (its migration and index in a tooltip), each migration's start a labelled rule. Its legend
 * comes before it, and how many probes it stands for after.
 */
final class TimelineChart {
    private static final int HEIGHT = 240;

    private final Timeline timeline;
    private final SvgChart chart;

    TimelineChart(Timeline timeline) {
        this.timeline = timeline;
        double endMs = Math.max(
                timeline.probes().stream().mapToLong(p -> p.offsetMs() + p.latencyMs()).max().orElse(0),
                timeline.statements().stream().mapToLong(StatementSpan::endMs).max().orElse(0));
        double maxLatencyMs = Math.max(10, timeline.probes().stream().mapToLong(ProbeSample::latencyMs).max().orElse(0));
        this.chart = new SvgChart(HEIGHT, endMs, maxLatencyMs);
    }

    void write(HtmlWriter html) throws IOException {
        html.start("p").swatch("probe-read", "reads").swatch("probe-write", "writes").swatch("span", "a statement running")
                .end();
        chart.open(html, "timeline-chart", "probe latency over time, statements marked",
                "Probe latency (ms) over time (ms) while the migrations ran");
        chart.axes(html, ms -> String.format("%,.0f ms", ms), ms -> String.format("%,.0f", ms), "latency (ms)");
        statements(html);
        line(html, ProbeKind.READ);
        line(html, ProbeKind.WRITE);
        html.end();
        html.element("p", "muted", String.format("%,d probes ran; the chart shows the slowest read and the slowest write "
                + "of each time slot (%,d points).", timeline.probesRun(), timeline.probes().size()));
    }

    private void statements(HtmlWriter html) throws IOException {
        String migration = null;
        for (StatementSpan span : timeline.statements()) {
            double x = chart.x(span.startMs());
            double width = Math.max(1.5, chart.x(span.endMs()) - x);
            rect(html, "span", x, chart.top(), width, chart.bottom() - chart.top(),
                    span.script() + " statement " + span.statement() + ": "
                            + String.format("%,d", span.endMs() - span.startMs()) + " ms");
            if (!span.script().equals(migration)) {
                migration = span.script();
                shape(html, "line", "migration", "x1", x, "y1", chart.top(), "x2", x, "y2", chart.bottom());
                label(html, x + 3, chart.top() + 12, "start", span.migration() == null ? span.script() : "V" + span.migration());
            }
        }
    }

    /** The kind's line; its colour comes from the page's style sheet ({@code .probe-read}, {@code .probe-write}). */
    private void line(HtmlWriter html, ProbeKind kind) throws IOException {
        List<ProbeSample> samples = timeline.probes().stream().filter(p -> p.kind() == kind).toList();
        if (samples.isEmpty()) {
            return;
        }
        // Each probe a level stretch from its start to its end at its latency: a probe a lock held up shows as a
        // plateau over the time it waited, not as a spike.
        String points = samples.stream().map(p -> n(chart.x(p.offsetMs())) + "," + n(chart.y(p.latencyMs())) + " "
                        + n(chart.x(p.offsetMs() + p.latencyMs())) + "," + n(chart.y(p.latencyMs())))
                .collect(Collectors.joining(" "));
        polyline(html, "probe-" + Reports.lower(kind), points, Reports.lower(kind) + " probes");
    }
}
