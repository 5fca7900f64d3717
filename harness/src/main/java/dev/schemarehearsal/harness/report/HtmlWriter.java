package dev.schemarehearsal.harness.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes HTML through one door: element names are the code's own, every text and attribute value is escaped.
 * Nothing from SQL or data can become markup.
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
