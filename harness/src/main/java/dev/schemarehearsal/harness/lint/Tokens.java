package dev.schemarehearsal.harness.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One statement's text cut into words, quoted names, literals and symbols, comments left out: what lint's own reading
 * of a statement needs to find a keyword or a name without mistaking the inside of a string, a quoted name, a
 * dollar-quoted body or a comment for code.
 */
record Tokens(String sql, List<Token> list) {

    enum Kind { WORD, QUOTED_NAME, STRING, DOLLAR_QUOTED, NUMBER, SYMBOL }

    /** A token and where it stands in the statement's text. */
    record Token(Kind kind, String text, int start, int end) {
        /** True when it is the bare word, case-insensitively. */
        boolean is(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        /** A bare or quoted name as lint compares names: unquoted, lower case. */
        String name() {
            return kind == Kind.WORD || kind == Kind.QUOTED_NAME ? Schema.unquote(text) : null;
        }
    }

    /**
     * Cuts the text. MySQL and MariaDB read backslash escapes in strings and {@code #} comments; a MySQL versioned
     * comment ({@code /*!40101 SET NAMES utf8mb4 *}{@code /}) is code there, so its content is read as code.
     */
    static Tokens of(String sql, boolean mysql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        boolean versioned = false;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || mysql && c == '#') {
                i = endOfLine(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                if (mysql && i + 2 < n && sql.charAt(i + 2) == '!') {
                    // Versioned comment: skip the marker and the version, read the rest as code up to "*/".
                    i += 3;
                    while (i < n && Character.isDigit(sql.charAt(i))) {
                        i++;
                    }
                    versioned = true;
                    continue;
                }
                i = endOfComment(sql, i, !mysql);
            } else if (versioned && c == '*' && i + 1 < n && sql.charAt(i + 1) == '/') {
                i += 2;
                versioned = false;
            } else if (c == '\'') {
                int end = endOfQuote(sql, i, '\'', mysql);
                tokens.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
                i = end;
            } else if (c == '"' || c == '`') {
                int end = endOfQuote(sql, i, c, false);
                tokens.add(new Token(Kind.QUOTED_NAME, sql.substring(i, end), i, end));
                i = end;
            } else if (c == '$' && !mysql && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                int end = close < 0 ? n : close + tag.length();
                tokens.add(new Token(Kind.DOLLAR_QUOTED, sql.substring(i, end), i, end));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'
                        || sql.charAt(end) == '$')) {
                    end++;
                }
                tokens.add(new Token(Kind.WORD, sql.substring(i, end), i, end));
                i = end;
            } else if (Character.isDigit(c)) {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
                    end++;
                }
                tokens.add(new Token(Kind.NUMBER, sql.substring(i, end), i, end));
                i = end;
            } else {
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i, i + 1));
                i++;
            }
        }
        return new Tokens(sql, List.copyOf(tokens));
    }

    private static int endOfLine(String sql, int i) {
        int end = sql.indexOf('\n', i);
        return end < 0 ? sql.length() : end + 1;
    }

    /** PostgreSQL's block comments nest; MySQL's don't. */
    private static int endOfComment(String sql, int i, boolean nested) {
        int depth = 0;
        int n = sql.length();
        while (i < n) {
            if (sql.startsWith("/*", i)) {
                depth = nested || depth == 0 ? depth + 1 : depth;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                i += 2;
                if (--depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** The end of a quoted string or name; a doubled quote is one quote, and a backslash escapes where it does. */
    private static int endOfQuote(String sql, int i, char quote, boolean backslash) {
        int n = sql.length();
        int j = i + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (backslash && c == '\\') {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return n;
    }

    /** The dollar-quote tag starting at i ({@code $$}, {@code $body$}), or {@code null}. */
    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
            return sql.substring(i, j + 1);
        }
        return null;
    }

    int size() {
        return list.size();
    }

    Token get(int i) {
        return i < list.size() ? list.get(i) : null;
    }

    /** True when the tokens from {@code at} are these bare words. */
    boolean words(int at, String... words) {
        for (int k = 0; k < words.length; k++) {
            Token token = get(at + k);
            if (token == null || !token.is(words[k])) {
                return false;
            }
        }
        return true;
    }

    /** The first words, upper case and space-separated, up to {@code count}: how a statement announces its kind. */
    String lead(int count) {
        StringBuilder lead = new StringBuilder();
        for (int k = 0; k < Math.min(count, list.size()) && list.get(k).kind() == Kind.WORD; k++) {
            lead.append(k == 0 ? "" : " ").append(list.get(k).text().toUpperCase(Locale.ROOT));
        }
        return lead.toString();
    }

    /** The index of the token closing the parenthesis opened at {@code open}, or the size when it isn't closed. */
    int closing(int open) {
        int depth = 0;
        for (int k = open; k < list.size(); k++) {
            if (list.get(k).isSymbol("(")) {
                depth++;
            } else if (list.get(k).isSymbol(")") && --depth == 0) {
                return k;
            }
        }
        return list.size();
    }
}
