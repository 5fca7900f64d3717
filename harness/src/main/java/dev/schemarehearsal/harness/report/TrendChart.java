package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.RehearsalResult.Point;
import dev.schemarehearsal.harness.api.RehearsalResult.Trend;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.schemarehearsal.harness.report.SvgChart.dot;
import static dev.schemarehearsal.harness.report.SvgChart.n;
import static dev.schemarehearsal.harness.report.SvgChart.polyline;

/**
 * One thing's figure over the runs of a branch as a small inline SVG chart: a line through one dot per run, evenly
 * spaced (runs come at their own times; their order is what the chart shows), the first, middle and last run's time
 * under it. A dot whose query plan changed since the dot before is drawn larger, in the colour of a change.
 */
final class TrendChart {
    static final int WIDTH = 320;
    private static final int HEIGHT = 140;

    private final String id;
    private final Trend trend;
    private final DoubleFunction<String> format;

    /**
     * @param id     tells the page's charts apart; the trend's name goes in the titles only, as text
     * @param format a value as a person reads it, e.g. {@code 1.3 s}
     */
    TrendChart(String id, Trend trend, DoubleFunction<String> format) {
        this.id = id;
        this.trend = trend;
        this.format = format;
    }

    /** A figure: the name above the chart. */
    void write(HtmlWriter html, String what) throws IOException {
        List<Point> points = trend.points();
        html.start("figure").attr("class", "trend").start("figcaption").element("code", trend.name()).end();
        double max = points.stream().mapToDouble(Point::value).max().orElse(0);
        SvgChart chart = new SvgChart(WIDTH, HEIGHT, Math.max(1, points.size() - 1), max <= 0 ? 1 : max * 1.1);
        chart.open(html, id, trend.name() + ": " + what + " over " + points.size() + " run(s)",
                trend.name() + ": " + what + " per run");
        chart.axes(html, x -> when(points, x), format, "");
        String line = IntStream.range(0, points.size())
                .mapToObj(i -> n(chart.x(i)) + "," + n(chart.y(points.get(i).value())))
                .collect(Collectors.joining(" "));
        polyline(html, "trend", line, trend.name() + ": " + what);
        for (int i = 0; i < points.size(); i++) {
            Point point = points.get(i);
            dot(html, point.planChanged() ? "point changed" : "point", chart.x(i), chart.y(point.value()),
                    point.planChanged() ? 5 : 3, title(point));
        }
        html.end().end();
    }

    private String title(Point point) {
        return point.at() + ": " + format.apply(point.value())
                + (point.bytes() == null ? "" : String.format(Locale.ROOT, ", %,d bytes", point.bytes()))
                + (point.planChanged() ? ", plan changed" : "");
    }

    /** The time of the run nearest to the tick, as month, day and time of day. */
    private static String when(List<Point> points, double x) {
        if (points.isEmpty()) {
            return "";
        }
        String at = points.get((int) Math.min(points.size() - 1, Math.round(x))).at();
        return at.length() >= 16 ? at.substring(5, 10) + " " + at.substring(11, 16) : at;
    }
}
