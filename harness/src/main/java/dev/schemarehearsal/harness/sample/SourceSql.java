package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.dialect.Dialect;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.TokenMgrException;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.Select;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first wall around the source: text a user wrote (a {@code sample.json} {@code where} rule, a query of
 * {@code queries.sql}) is read with the SQL parser before anything is sent, and refused unless it is one condition, or
 * one SELECT, that neither writes nor locks. A parser is a filter, not a proof: what it cannot see is stopped by the
 * walls behind it (one statement per call, the read-only transaction, a user without write privileges).
 */
final class SourceSql {
    /** Words that have no place in a read: a data-modifying WITH, SELECT … INTO, a locking clause. */
    private static final Map<String, String> FORBIDDEN = Map.of(
            "INSERT", "INSERT writes rows",
            "UPDATE", "UPDATE writes rows (and FOR UPDATE locks them)",
            "DELETE", "DELETE writes rows",
            "MERGE", "MERGE writes rows",
            "INTO", "SELECT … INTO writes a table, a file or variables",
            "SHARE", "FOR SHARE and LOCK IN SHARE MODE lock rows",
            "LOCK", "LOCK IN SHARE MODE locks rows");

    /** Where in the text, counting lines from 1, and why it is refused. */
    record Problem(int line, String reason) { }

    private SourceSql() {
    }

    /** A {@code where} rule: exactly one condition. {@code null} when it may be sent. */
    static Problem condition(Dialect dialect, String text) {
        Problem problem = lexical(dialect, text);
        if (problem != null) {
            return problem;
        }
        try {
            CCJSqlParserUtil.parseCondExpression(text, false, parser -> parser.withDialect(dialect.sqlDialect()));
        } catch (JSQLParserException e) {
            return unreadable(e.getCause() instanceof ParseException parse ? parse : null, "one condition", e);
        }
        return null;
    }

    /** A query: exactly one SELECT (or WITH … SELECT). {@code null} when it may be sent. */
    static Problem select(Dialect dialect, String text) {
        Problem problem = lexical(dialect, text);
        if (problem != null) {
            return problem;
        }
        Statements statements;
        try {
            CCJSqlParser parser = CCJSqlParserUtil.newParser(text).withDialect(dialect.sqlDialect());
            statements = parser.Statements();
        } catch (ParseException e) {
            return unreadable(e, "one SELECT", e);
        } catch (TokenMgrException e) {
            return new Problem(1, "the SQL parser cannot read it: " + e.getMessage());
        }
        if (statements.size() != 1) {
            return new Problem(1, "it holds " + statements.size() + " statements, not one SELECT");
        }
        Statement statement = statements.get(0);
        if (!(statement instanceof Select)) {
            return new Problem(1, "it is " + statement.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2")
                    .toUpperCase(Locale.ROOT) + ", not a SELECT");
        }
        return null;
    }

    /**
     * What the token stream alone shows, whatever the grammar makes of it: a second statement, words no read needs,
     * functions that change something, and text the parser could read otherwise than the engine.
     */
    private static Problem lexical(Dialect dialect, String text) {
        List<Token> tokens = new ArrayList<>();
        try {
            CCJSqlParser parser = CCJSqlParserUtil.newParser(text).withDialect(dialect.sqlDialect());
            for (Token token = parser.getNextToken(); token.kind != 0; token = parser.getNextToken()) {
                tokens.add(token);
            }
        } catch (TokenMgrException e) {
            return new Problem(1, "the SQL parser cannot read it: " + e.getMessage());
        }
        int[] lineStarts = lineStarts(text);
        int end = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            int from = lineStarts[token.beginLine - 1] + token.beginColumn - 1;
            if (from < end || !text.startsWith(token.image, from)) {
                // The gaps below must be exactly what the parser skipped; if the token is not where it says, refuse.
                return new Problem(token.beginLine, "the SQL parser's reading of '" + token.image + "' does not match "
                        + "the text");
            }
            // Between two tokens there is only what the parser skipped: blanks and comments.
            String skipped = dialect.misreading(text.substring(end, from), false);
            if (skipped != null) {
                return new Problem(lineOf(lineStarts, end), skipped);
            }
            // The image is the token's text; its end position, after the lexer backtracked, need not be.
            end = from + token.image.length();
            String image = token.image;
            if (quoted(image)) {
                String literal = dialect.misreading(image, true);
                if (literal != null) {
                    return new Problem(token.beginLine, literal);
                }
                if (image.startsWith("$") && from > 0 && nameCharacter(text.charAt(from - 1))) {
                    return new Problem(token.beginLine, "'" + image.substring(0, image.indexOf('$', 1) + 1) + "' right "
                            + "after a name or number: the engine may read it as part of that rather than as a quote");
                }
            }
            if (image.equals(";")) {
                return new Problem(token.beginLine, "';' outside a string or comment ends a statement: only one may be "
                        + "sent");
            }
            String word = image.toUpperCase(Locale.ROOT);
            if (FORBIDDEN.containsKey(word)) {
                return new Problem(token.beginLine, "'" + image + "': " + FORBIDDEN.get(word) + "; only reads are sent");
            }
            // The parser reads NEXT VALUE FOR as one word; NEXT and VALUE apart, should a comment separate them.
            if (word.replaceAll("\\s+", " ").matches("NEXT VALUE FOR|NEXTVAL FOR")
                    || word.equals("NEXT") && i + 1 < tokens.size() && tokens.get(i + 1).image.equalsIgnoreCase("VALUE")) {
                return new Problem(token.beginLine, "NEXT VALUE FOR advances a sequence; only reads are sent");
            }
            if (i + 1 < tokens.size() && tokens.get(i + 1).image.equals("(") && sideEffect(dialect, image)) {
                return new Problem(token.beginLine, image + "() changes something outside the query (data, settings, "
                        + "locks, sessions, files or another server); only reads are sent");
            }
        }
        String trailing = dialect.misreading(text.substring(Math.min(end, text.length())), false);
        return trailing == null ? null : new Problem(lineOf(lineStarts, end), trailing);
    }

    private static boolean sideEffect(Dialect dialect, String image) {
        String name = (quoted(image) ? image.substring(1, image.length() - 1) : image).toLowerCase(Locale.ROOT);
        return dialect.sideEffectFunctions().stream().anyMatch(f -> f.endsWith("*")
                ? name.startsWith(f.substring(0, f.length() - 1)) : name.equals(f));
    }

    private static boolean quoted(String image) {
        char first = image.charAt(0);
        return first == '\'' || first == '"' || first == '`' || first == '$'
                || image.length() > 1 && image.charAt(1) == '\'' && Character.isLetter(first);
    }

    private static boolean nameCharacter(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static Problem unreadable(ParseException parse, String expected, Exception e) {
        Token at = parse == null || parse.currentToken == null ? null : parse.currentToken.next;
        if (at == null || at.image == null) {
            return new Problem(1, "the SQL parser does not read it as " + expected + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        return new Problem(at.beginLine, "the SQL parser does not read it as " + expected + ": it stops at '" + at.image
                + "' (line " + at.beginLine + ", column " + at.beginColumn + ")");
    }

    /** Where each line starts, with line ends as the parser counts them: \n, \r\n or \r. */
    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int lineOf(int[] lineStarts, int offset) {
        int line = 1;
        while (line < lineStarts.length && lineStarts[line] <= offset) {
            line++;
        }
        return line;
    }
}
