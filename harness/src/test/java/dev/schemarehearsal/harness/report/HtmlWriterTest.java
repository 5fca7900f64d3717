package dev.schemarehearsal.harness.report;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlWriterTest {

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
}
