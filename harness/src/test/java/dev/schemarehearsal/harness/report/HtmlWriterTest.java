package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.Severity;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlWriterTest {
    /** Markup, both quotes and an entity: in every argument of every shape, it must come out as text. */
    private static final String HOSTILE = "\"'><b>&amp;";
    private static final String ESCAPED = "&quot;&#39;&gt;&lt;b&gt;&amp;amp;";

    private interface Writes {
        void to(HtmlWriter html) throws Exception;
    }

    /** What {@code writes} puts after the doctype. */
    private static String html(Writes writes) throws Exception {
        StringWriter out = new StringWriter();
        try (HtmlWriter html = new HtmlWriter(out)) {
            writes.to(html);
        }
        return out.toString().substring("<!DOCTYPE html>\n".length());
    }

    @Test
    void textAndAttributesAreEscaped() throws Exception {
        StringWriter out = new StringWriter();
        try (HtmlWriter html = new HtmlWriter(out)) {
            html.start("p").attr("title", "\"><script>alert(1)</script>").text("<b>Tom & 'Jerry'</b>").end();
        }
        assertThat(out.toString()).isEqualTo("<!DOCTYPE html>\n"
                + "<p title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">&lt;b&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt;</p>");
    }

    @Test
    void closeEndsEveryOpenElement() throws Exception {
        StringWriter out = new StringWriter();
        try (HtmlWriter html = new HtmlWriter(out)) {
            html.start("html").start("body").element("h1", "x");
        }
        assertThat(out.toString()).endsWith("<html><body><h1>x</h1></body></html>");
    }

    @Test
    void aTableOpensWithItsHeadingRowAndRowsHoldCells() throws Exception {
        assertThat(html(html -> html.table("name", "rows").row().cell("orders").numberCell("1,000").end()
                .row("flagged").codeCell("V2__add.sql").preCell("ALTER TABLE t\n  ADD c int").end()))
                .isEqualTo("<table><tr><th>name</th><th>rows</th></tr>"
                        + "<tr><td>orders</td><td class=\"num\">1,000</td></tr>"
                        + "<tr class=\"flagged\"><td><code>V2__add.sql</code></td><td><pre>ALTER TABLE t\n  ADD c int</pre></td></tr>"
                        + "</table>");
    }

    @Test
    void aCellsClassIsWrittenAsGiven() throws Exception {
        assertThat(html(html -> html.cell("error", "failed").cell("", "applied")))
                .isEqualTo("<td class=\"error\">failed</td><td class=\"\">applied</td>");
    }

    @Test
    void aKeyValueRowHasTheKeyAsItsHeading() throws Exception {
        assertThat(html(html -> html.start("table").keyValue("engine", "postgresql")))
                .isEqualTo("<table><tr><th>engine</th><td>postgresql</td></tr></table>");
    }

    @Test
    void tablesRowsAndCellsEscapeEveryArgument() throws Exception {
        assertThat(html(html -> html.table(HOSTILE, HOSTILE).row(HOSTILE).cell(HOSTILE).cell(HOSTILE, HOSTILE)
                .numberCell(HOSTILE).codeCell(HOSTILE).preCell(HOSTILE).end().keyValue(HOSTILE, HOSTILE).end()
                .element("p", HOSTILE, HOSTILE)))
                .isEqualTo("<table><tr><th>" + ESCAPED + "</th><th>" + ESCAPED + "</th></tr>"
                        + "<tr class=\"" + ESCAPED + "\"><td>" + ESCAPED + "</td><td class=\"" + ESCAPED + "\">" + ESCAPED
                        + "</td><td class=\"num\">" + ESCAPED + "</td><td><code>" + ESCAPED + "</code></td><td><pre>"
                        + ESCAPED + "</pre></td></tr><tr><th>" + ESCAPED + "</th><td>" + ESCAPED + "</td></tr></table>"
                        + "<p class=\"" + ESCAPED + "\">" + ESCAPED + "</p>");
    }

    @Test
    void aSectionOpensUnderItsHeadingAndLinksStayWithinThePage() throws Exception {
        assertThat(html(html -> html.section("findings", "All findings (2)").start("p").linkTo("verdict", "the verdict")))
                .isEqualTo("<section id=\"findings\"><h2>All findings (2)</h2><p><a href=\"#verdict\">the verdict</a></p></section>");
    }

    @Test
    void aBadgeNamesTheSeverityAndAChartLegendIsSwatchesAndLabels() throws Exception {
        assertThat(html(html -> html.badge(Severity.WARNING).start("p").swatch("probe-read", "reads")
                .swatch("probe-write", "writes").end()))
                .isEqualTo("<span class=\"badge warning\">warning</span>"
                        + "<p><span class=\"swatch probe-read\"></span>reads<span class=\"swatch probe-write\"></span>writes</p>");
    }

    @Test
    void sectionsLinksAndLegendsEscapeEveryArgument() throws Exception {
        assertThat(html(html -> html.section(HOSTILE, HOSTILE).linkTo(HOSTILE, HOSTILE).swatch(HOSTILE, HOSTILE)))
                .isEqualTo("<section id=\"" + ESCAPED + "\"><h2>" + ESCAPED + "</h2><a href=\"#" + ESCAPED + "\">" + ESCAPED
                        + "</a><span class=\"swatch " + ESCAPED + "\"></span>" + ESCAPED + "</section>");
    }

    @Test
    void anSvgChartOpensWithItsFrameAccessibleNameAndTooltip() throws Exception {
        assertThat(html(html -> html.svg("timeline-chart", 960, 240, "probe latency", "Probe latency (ms)")))
                .isEqualTo("<svg id=\"timeline-chart\" viewBox=\"0 0 960 240\" width=\"960\" height=\"240\" role=\"img\" "
                        + "aria-label=\"probe latency\"><title>Probe latency (ms)</title></svg>");
        assertThat(html(html -> html.svg(HOSTILE, 1, 2, HOSTILE, HOSTILE)))
                .isEqualTo("<svg id=\"" + ESCAPED + "\" viewBox=\"0 0 1 2\" width=\"1\" height=\"2\" role=\"img\" "
                        + "aria-label=\"" + ESCAPED + "\"><title>" + ESCAPED + "</title></svg>");
    }
}
