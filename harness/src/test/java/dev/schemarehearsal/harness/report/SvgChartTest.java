package dev.schemarehearsal.harness.report;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class SvgChartTest {
    private static final String HOSTILE = "\"'><b>&amp;";
    private static final String ESCAPED = "&quot;&#39;&gt;&lt;b&gt;&amp;amp;";

    private interface Draws {
        void on(HtmlWriter html) throws Exception;
    }

    private static String svg(Draws draws) throws Exception {
        StringWriter out = new StringWriter();
        try (HtmlWriter html = new HtmlWriter(out)) {
            draws.on(html);
        }
        return out.toString().substring("<!DOCTYPE html>\n".length());
    }

    @Test
    void aRectAndAPolylineCarryTheirTooltipAndCoordinatesWithOneDecimal() throws Exception {
        assertThat(svg(html -> {
            SvgChart.rect(html, "batch", 56, 10.25, 0.5, 148.04, "batch 2: 15 ms");
            SvgChart.polyline(html, "stall", "56.0,158.0 60.0,158.0", "longest probe stall per batch");
        })).isEqualTo("<rect class=\"batch\" x=\"56.0\" y=\"10.3\" width=\"0.5\" height=\"148.0\"><title>batch 2: 15 ms</title></rect>"
                + "<polyline class=\"stall\" points=\"56.0,158.0 60.0,158.0\"><title>longest probe stall per batch</title></polyline>");
    }

    @Test
    void aRectAndAPolylineEscapeEveryText() throws Exception {
        assertThat(svg(html -> {
            SvgChart.rect(html, HOSTILE, 0, 0, 1, 1, HOSTILE);
            SvgChart.polyline(html, HOSTILE, HOSTILE, HOSTILE);
        })).isEqualTo("<rect class=\"" + ESCAPED + "\" x=\"0.0\" y=\"0.0\" width=\"1.0\" height=\"1.0\"><title>" + ESCAPED
                + "</title></rect><polyline class=\"" + ESCAPED + "\" points=\"" + ESCAPED + "\"><title>" + ESCAPED
                + "</title></polyline>");
    }
}
