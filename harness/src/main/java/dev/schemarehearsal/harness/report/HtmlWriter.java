package dev.schemarehearsal.harness.report;

import dev.schemarehearsal.harness.api.Novelty;
import dev.schemarehearsal.harness.api.Severity;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes HTML through one door: element names are the code's own, every text and attribute value is escaped.
 * Nothing from SQL or data can become markup.
 *
 * <p>Besides elements and attributes it writes the shapes the report is made of, so a section reads as what it shows:
 * a section under its heading, a table with its heading row, rows of text, numeric and code cells, a severity's
 * badge, a finding's mark against the previous run, a link within the page, an inline SVG chart and its legend. The methods that open an element (a section, a
 * table, a row, a chart) leave it to the caller's {@link #end}; the others write a whole element. A class passed in
 * is written as given, even when empty. The classes written here ({@code num}, {@code badge}, {@code swatch}) are
 * styled by {@link HtmlReport}'s style sheet.
 */
final class HtmlWriter implements AutoCloseable {
    private final Writer out;
    private final Deque<String> open = new ArrayDeque<>();
    private boolean inStartTag;
    private boolean inVoidTag;

    HtmlWriter(Writer out) throws IOException {
        this.out = out;
        out.write("<!DOCTYPE html>\n");
    }

    /** Opens an element; attributes follow with {@link #attr}. */
    HtmlWriter start(String element) throws IOException {
        finishStartTag();
        out.write('<');
        out.write(element);
        open.push(element);
        inStartTag = true;
        return this;
    }

    /**
     * A void element such as {@code meta}: attributes may follow, and it has no end tag. It is written {@code <meta/>},
     * which HTML reads the same and keeps the page well-formed XML.
     */
    HtmlWriter empty(String element) throws IOException {
        finishStartTag();
        out.write('<');
        out.write(element);
        inStartTag = true;
        inVoidTag = true;
        return this;
    }

    HtmlWriter attr(String name, String value) throws IOException {
        if (!inStartTag) {
            throw new IllegalStateException("attribute " + name + " outside a start tag");
        }
        out.write(' ');
        out.write(name);
        out.write("=\"");
        out.write(escape(value));
        out.write('"');
        return this;
    }

    HtmlWriter text(String text) throws IOException {
        finishStartTag();
        out.write(escape(text));
        return this;
    }

    /** Inline CSS, which is the code's own text, never data. */
    HtmlWriter style(String css) throws IOException {
        start("style");
        finishStartTag();
        out.write(css);
        return end();
    }

    HtmlWriter end() throws IOException {
        finishStartTag();
        out.write("</");
        out.write(open.pop());
        out.write('>');
        return this;
    }

    /** An element holding only text. */
    HtmlWriter element(String element, String text) throws IOException {
        return start(element).text(text).end();
    }

    /** An element holding only text, with a class. */
    HtmlWriter element(String element, String cssClass, String text) throws IOException {
        return start(element).attr("class", cssClass).text(text).end();
    }

    /** Opens a section, which {@code id} links to, and writes its heading; the caller ends the section. */
    HtmlWriter section(String id, String heading) throws IOException {
        return start("section").attr("id", id).element("h2", heading);
    }

    /** A link to the element of this page with that {@code id}: the page links nowhere else. */
    HtmlWriter linkTo(String id, String text) throws IOException {
        return start("a").attr("href", "#" + id).text(text).end();
    }

    /** A severity as a coloured label. */
    HtmlWriter badge(Severity severity) throws IOException {
        String name = Reports.lower(severity);
        return element("span", "badge " + name, name);
    }

    /** A finding's mark against the previous run ({@code new}, {@code known}) as a label, or nothing without one. */
    HtmlWriter novelty(Novelty novelty) throws IOException {
        if (novelty == null) {
            return this;
        }
        String name = Reports.lower(novelty);
        return text(" ").element("span", "badge " + name, name);
    }

    /**
     * Opens an inline SVG chart drawn in a {@code width} × {@code height} frame, with its accessible name and its
     * tooltip; the caller draws in it and ends it.
     */
    HtmlWriter svg(String id, int width, int height, String ariaLabel, String title) throws IOException {
        return start("svg").attr("id", id).attr("viewBox", "0 0 " + width + " " + height)
                .attr("width", Integer.toString(width)).attr("height", Integer.toString(height))
                .attr("role", "img").attr("aria-label", ariaLabel).element("title", title);
    }

    /** One entry of a chart's legend: a swatch in the colour of the chart's {@code cssClass}, then its label. */
    HtmlWriter swatch(String cssClass, String label) throws IOException {
        return start("span").attr("class", "swatch " + cssClass).end().text(label);
    }

    /** Opens a table and writes its heading row; the caller ends the table. */
    HtmlWriter table(String... headings) throws IOException {
        start("table").start("tr");
        for (String heading : headings) {
            element("th", heading);
        }
        return end();
    }

    /** Opens a row; the caller ends it. */
    HtmlWriter row() throws IOException {
        return start("tr");
    }

    /** Opens a row with a class, such as the one that marks it flagged; the caller ends it. */
    HtmlWriter row(String cssClass) throws IOException {
        return start("tr").attr("class", cssClass);
    }

    HtmlWriter cell(String text) throws IOException {
        return element("td", text);
    }

    /** A cell with a class, such as the one that marks an error. */
    HtmlWriter cell(String cssClass, String text) throws IOException {
        return element("td", cssClass, text);
    }

    /** A figure, right-aligned in its column ({@code td.num}); the caller formats it. */
    HtmlWriter numberCell(String figure) throws IOException {
        return cell("num", figure);
    }

    /** A name from the code or the database: a script, a rule id, an error. */
    HtmlWriter codeCell(String code) throws IOException {
        return start("td").element("code", code).end();
    }

    /** Text whose lines and spacing matter, such as a statement's SQL. */
    HtmlWriter preCell(String text) throws IOException {
        return start("td").element("pre", text).end();
    }

    /** A row of a key–value table: the key as the row's heading. */
    HtmlWriter keyValue(String key, String value) throws IOException {
        return row().element("th", key).cell(value).end();
    }

    private void finishStartTag() throws IOException {
        if (inStartTag) {
            out.write(inVoidTag ? "/>" : ">");
            inStartTag = false;
            inVoidTag = false;
        }
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        text = XmlText.clean(text);
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    @Override
    public void close() throws IOException {
        while (!open.isEmpty()) {
            end();
        }
        out.close();
    }
}
