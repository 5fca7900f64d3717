package dev.schemarehearsal.harness.report;

import java.io.IOException;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * The frame every inline SVG chart of the report shares: a plot area with linear scales from zero, two axes with
 * ticks at 0, ½ and the maximum, and the drawing helpers. Colours come from the page's style sheet.
 */
final class SvgChart {
    static final int WIDTH = 960;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 22;
    private static final int BOTTOM = 30;

    private final int width;
    private final int height;
    private final double xMax;
    private final double yMax;

    /** {@code xMax} and {@code yMax} are the data's largest values; both scales start at zero. */
    SvgChart(int height, double xMax, double yMax) {
        this(WIDTH, height, xMax, yMax);
    }

    /** A chart of its own width, such as a small one of a row of them. */
    SvgChart(int width, int height, double xMax, double yMax) {
        this.width = width;
        this.height = height;
        this.xMax = Math.max(1, xMax);
        this.yMax = Math.max(1, yMax);
    }

    /** Opens the {@code svg} element with its accessible name and tooltip title; the caller ends it. */
    void open(HtmlWriter html, String id, String ariaLabel, String title) throws IOException {
        html.svg(id, width, height, ariaLabel, title);
    }

    void axes(HtmlWriter html, DoubleFunction<String> xTick, DoubleFunction<String> yTick, String yLabel)
            throws IOException {
        shape(html, "line", "axis", "x1", LEFT, "y1", TOP, "x2", LEFT, "y2", bottom());
        shape(html, "line", "axis", "x1", LEFT, "y1", bottom(), "x2", width - RIGHT, "y2", bottom());
        for (double fraction : new double[] {0, 0.5, 1}) {
            double y = y(yMax * fraction);
            shape(html, "line", "grid", "x1", LEFT, "y1", y, "x2", width - RIGHT, "y2", y);
            label(html, LEFT - 6, y + 4, "end", yTick.apply(yMax * fraction));
            label(html, x(xMax * fraction), bottom() + 16, fraction == 0 ? "start" : fraction == 1 ? "end" : "middle",
                    xTick.apply(xMax * fraction));
        }
        label(html, LEFT, TOP - 8, "start", yLabel);
    }

    double x(double value) {
        return LEFT + value / xMax * (width - LEFT - RIGHT);
    }

    double y(double value) {
        return bottom() - value / yMax * (bottom() - TOP);
    }

    double top() {
        return TOP;
    }

    double bottom() {
        return height - BOTTOM;
    }

    static void shape(HtmlWriter html, String element, String cssClass, Object... attributes) throws IOException {
        html.start(element).attr("class", cssClass);
        for (int i = 0; i < attributes.length; i += 2) {
            html.attr((String) attributes[i], n(((Number) attributes[i + 1]).doubleValue()));
        }
        html.end();
    }

    /** A bar or band, with what it stands for as its tooltip. */
    static void rect(HtmlWriter html, String cssClass, double x, double y, double width, double height, String title)
            throws IOException {
        html.start("rect").attr("class", cssClass).attr("x", n(x)).attr("y", n(y)).attr("width", n(width))
                .attr("height", n(height)).element("title", title).end();
    }

    /** A line through {@code points} ({@code x,y x,y …}), with what it shows as its tooltip. */
    static void polyline(HtmlWriter html, String cssClass, String points, String title) throws IOException {
        html.start("polyline").attr("class", cssClass).attr("points", points).element("title", title).end();
    }

    /** A dot at a data point, with what it stands for as its tooltip. */
    static void dot(HtmlWriter html, String cssClass, double x, double y, double radius, String title)
            throws IOException {
        html.start("circle").attr("class", cssClass).attr("cx", n(x)).attr("cy", n(y)).attr("r", n(radius))
                .element("title", title).end();
    }

    static void label(HtmlWriter html, double x, double y, String anchor, String text) throws IOException {
        html.start("text").attr("x", n(x)).attr("y", n(y)).attr("text-anchor", anchor).text(text).end();
    }

    /** A coordinate as SVG wants it: one decimal, a dot whatever the locale. */
    static String n(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
