package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.RehearsalResult.ProbeKind;
import dev.schemarehearsal.harness.api.RehearsalResult.ProbeSample;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementSpan;
import dev.schemarehearsal.harness.api.RehearsalResult.Timeline;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The probe workload's latency over the migrate phase as an inline SVG chart: one line per probe kind, each
 * statement a shaded band (its migration and index in a tooltip), each migration's start a labelled rule.
 */
final class TimelineChart {
    static final int WIDTH = 960;
    static final int HEIGHT = 240;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 22;
    private static final int BOTTOM = 30;

    private final Timeline timeline;
    private final double endMs;
    private final double maxLatencyMs;

    TimelineChart(Timeline timeline) {
        this.timeline = timeline;
        this.endMs = Math.max(1, Math.max(
                timeline.probes().stream().mapToLong(p -> p.offsetMs() + p.latencyMs()).max().orElse(0),
                timeline.statements().stream().mapToLong(StatementSpan::endMs).max().orElse(0)));
        this.maxLatencyMs = Math.max(10, timeline.probes().stream().mapToLong(ProbeSample::latencyMs).max().orElse(0));
    }

    void write(HtmlWriter html) throws IOException {
        html.start("svg").attr("id", "timeline-chart")
                .attr("viewBox", "0 0 " + WIDTH + " " + HEIGHT).attr("width", Integer.toString(WIDTH))
                .attr("height", Integer.toString(HEIGHT)).attr("role", "img")
                .attr("aria-label", "probe latency over time, statements marked");
        html.element("title", "Probe latency (ms) over time (ms) while the migrations ran");
        axes(html);
        statements(html);
        line(html, ProbeKind.READ);
        line(html, ProbeKind.WRITE);
        html.end();
    }

    private void axes(HtmlWriter html) throws IOException {
        double bottom = HEIGHT - BOTTOM;
        shape(html, "line", "axis", "x1", LEFT, "y1", TOP, "x2", LEFT, "y2", bottom);
        shape(html, "line", "axis", "x1", LEFT, "y1", bottom, "x2", WIDTH - RIGHT, "y2", bottom);
        for (double fraction : new double[] {0, 0.5, 1}) {
            double y = y(maxLatencyMs * fraction);
            shape(html, "line", "grid", "x1", LEFT, "y1", y, "x2", WIDTH - RIGHT, "y2", y);
            label(html, LEFT - 6, y + 4, "end", String.format("%,.0f", maxLatencyMs * fraction));
            double x = x(endMs * fraction);
            label(html, x, HEIGHT - BOTTOM + 16, fraction == 0 ? "start" : fraction == 1 ? "end" : "middle",
                    String.format("%,.0f ms", endMs * fraction));
        }
        label(html, LEFT, TOP - 8, "start", "latency (ms)");
    }

    private void statements(HtmlWriter html) throws IOException {
        String migration = null;
        for (StatementSpan span : timeline.statements()) {
            double x = x(span.startMs());
            double width = Math.max(1.5, x(span.endMs()) - x);
            html.start("rect").attr("class", "span").attr("x", n(x)).attr("y", n(TOP)).attr("width", n(width))
                    .attr("height", n(HEIGHT - BOTTOM - TOP))
                    .element("title", span.script() + " statement " + span.statement() + ": "
                            + String.format("%,d", span.endMs() - span.startMs()) + " ms")
                    .end();
            if (!span.script().equals(migration)) {
                migration = span.script();
                shape(html, "line", "migration", "x1", x, "y1", TOP, "x2", x, "y2", HEIGHT - BOTTOM);
                label(html, x + 3, TOP + 12, "start", span.migration() == null ? span.script() : "V" + span.migration());
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
        String points = samples.stream().map(p -> n(x(p.offsetMs())) + "," + n(y(p.latencyMs())) + " "
                        + n(x(p.offsetMs() + p.latencyMs())) + "," + n(y(p.latencyMs())))
                .collect(Collectors.joining(" "));
        html.start("polyline").attr("class", "probe-" + Reports.lower(kind)).attr("points", points)
                .element("title", Reports.lower(kind) + " probes").end();
    }

    private double x(double ms) {
        return LEFT + ms / endMs * (WIDTH - LEFT - RIGHT);
    }

    private double y(double latencyMs) {
        return HEIGHT - BOTTOM - latencyMs / maxLatencyMs * (HEIGHT - BOTTOM - TOP);
    }

    private static void shape(HtmlWriter html, String element, String cssClass, Object... attributes) throws IOException {
        html.start(element).attr("class", cssClass);
        for (int i = 0; i < attributes.length; i += 2) {
            html.attr((String) attributes[i], n(((Number) attributes[i + 1]).doubleValue()));
        }
        html.end();
    }

    private static void label(HtmlWriter html, double x, double y, String anchor, String text) throws IOException {
        html.start("text").attr("x", n(x)).attr("y", n(y)).attr("text-anchor", anchor).text(text).end();
    }

    private static String n(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
