package dev.schemarehearsal.harness.report;

/** Text that any XML or HTML document can hold. */
final class XmlText {
    private XmlText() {
    }

    /**
     * Replaces the characters XML 1.0 forbids (control characters other than tab and line breaks, lone surrogates)
     * with U+FFFD: an engine's error message may hold them, and one would make the whole file unreadable.
     */
    static String clean(String text) {
        StringBuilder cleaned = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean surrogatePair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xFFFD
                    && !Character.isSurrogate(c)) || surrogatePair;
            if (!allowed && cleaned == null) {
                cleaned = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (cleaned != null) {
                if (surrogatePair) {
                    cleaned.append(c).append(text.charAt(++i));
                    continue;
                }
                cleaned.append(allowed ? c : '\uFFFD');
            } else if (surrogatePair) {
                i++;
            }
        }
        return cleaned == null ? text : cleaned.toString();
    }
}
