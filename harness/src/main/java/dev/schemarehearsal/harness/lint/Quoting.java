package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.lint.Tokens.Kind;
import dev.schemarehearsal.harness.lint.Tokens.Token;

import java.util.Set;
import java.util.TreeMap;

/**
 * A second chance for the SQL parser: the statement's text with every bare name that stands where DDL expects a
 * table or column name quoted, since JSqlParser reads some names as its keywords ({@code key varchar(100)} as an
 * index named varchar, a table called {@code settings}, in CREATE, ALTER, DROP and RENAME TABLE), and with two spellings it doesn't know said its way
 * ({@code SET name TO value}, {@code ALTER COLUMN c SET DATA TYPE t}; MySQL table options separated by spaces). The engine reads the same statement either
 * way; lint compares names unquoted and in lower case.
 */
final class Quoting {
    /** Words that start a table element other than a column. */
    private static final Set<String> ELEMENTS = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN",
            "EXCLUDE", "LIKE");
    private static final Set<String> MYSQL_ELEMENTS = Set.of("KEY", "INDEX", "FULLTEXT", "SPATIAL", "PERIOD");
    /** Words after ADD, DROP, ALTER or RENAME that name something other than a column. */
    private static final Set<String> NOT_COLUMN = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN",
            "INDEX", "KEY", "FULLTEXT", "SPATIAL", "EXCLUDE", "PARTITION", "DEFAULT", "TO", "AS", "SYSTEM", "PERIOD");

    private final Tokens tokens;
    private final boolean mysql;
    /** Edits by the position they start at: the text that replaces [start, end). */
    private final TreeMap<Integer, Edit> edits = new TreeMap<>();

    private record Edit(int end, String text) { }

    private Quoting(Tokens tokens, boolean mysql) {
        this.tokens = tokens;
        this.mysql = mysql;
    }

    /** The statement rewritten for the parser, or {@code null} when there is nothing to rewrite. */
    static String of(Tokens tokens, boolean mysql) {
        Quoting quoting = new Quoting(tokens, mysql);
        quoting.rewrite();
        return quoting.edits.isEmpty() ? null : quoting.apply();
    }

    private void rewrite() {
        int i = 0;
        if (tokens.words(0, "CREATE", "OR", "REPLACE")) {
            i = 3;
        } else if (tokens.words(0, "CREATE")) {
            i = 1;
        }
        if (i > 0) {
            while (tokens.get(i) != null && (tokens.get(i).is("GLOBAL") || tokens.get(i).is("LOCAL")
                    || tokens.get(i).is("TEMPORARY") || tokens.get(i).is("TEMP") || tokens.get(i).is("UNLOGGED"))) {
                i++;
            }
            if (tokens.words(i, "TABLE")) {
                createTable(i + 1);
                return;
            }
        }
        if (tokens.words(0, "ALTER", "TABLE")) {
            alterTable(2);
        } else if (tokens.words(0, "SET") && tokens.get(1) != null) {
            int name = tokens.words(1, "SESSION") || tokens.words(1, "LOCAL") ? 2 : 1;
            Token to = tokens.get(name + 1);
            if (to != null && to.is("TO")) {
                edits.put(to.start(), new Edit(to.end(), "="));
            }
        } else if (tokens.words(0, "DROP", "TABLE")) {
            int at = tokens.words(2, "IF", "EXISTS") ? 4 : 2;
            while (at < tokens.size()) {
                at = name(at);
                at = tokens.get(at) != null && tokens.get(at).isSymbol(",") ? at + 1 : tokens.size();
            }
        } else if (tokens.words(0, "RENAME", "TABLE")) {
            // RENAME TABLE a TO b, c TO d
            int at = 2;
            while (at < tokens.size()) {
                at = name(at);
                at = tokens.get(at) != null && tokens.get(at).is("TO") ? name(at + 1) : tokens.size();
                at = tokens.get(at) != null && tokens.get(at).isSymbol(",") ? at + 1 : tokens.size();
            }
        }
        references();
    }

    private void createTable(int at) {
        at = tokens.words(at, "IF", "NOT", "EXISTS") ? at + 3 : at;
        at = name(at);
        Token open = tokens.get(at);
        if (open == null || !open.isSymbol("(")) {
            references();
            return;
        }
        int close = tokens.closing(at);
        int element = at + 1;
        while (element < close) {
            Token first = tokens.get(element);
            String word = first.kind() == Kind.WORD ? first.text().toUpperCase(java.util.Locale.ROOT) : null;
            if (word != null && !ELEMENTS.contains(word) && !(mysql && MYSQL_ELEMENTS.contains(word))) {
                quote(element);
            }
            element = next(element, close);
        }
        references();
    }

    private void alterTable(int at) {
        at = tokens.words(at, "IF", "EXISTS") ? at + 2 : at;
        at = tokens.words(at, "ONLY") ? at + 1 : at;
        at = name(at);
        int action = at;
        while (action < tokens.size()) {
            action(action);
            action = next(action, tokens.size());
        }
        if (mysql) {
            separateTableOptions(at);
        }
        references();
    }

    /** Quotes the names one ALTER TABLE action names. */
    private void action(int at) {
        Token verb = tokens.get(at);
        if (verb == null || verb.kind() != Kind.WORD) {
            return;
        }
        if (verb.is("RENAME")) {
            if (tokens.words(at + 1, "TO") || tokens.words(at + 1, "AS")) {
                name(at + 2);
            } else if (!notColumn(at + 1)) {
                int old = tokens.words(at + 1, "COLUMN") ? at + 2 : at + 1;
                quote(old);
                if (tokens.words(old + 1, "TO")) {
                    quote(old + 2);
                }
            }
        } else if (verb.is("ADD") || verb.is("DROP") || verb.is("ALTER") || verb.is("MODIFY") || verb.is("CHANGE")) {
            if (notColumn(at + 1)) {
                return;
            }
            int column = tokens.words(at + 1, "COLUMN") ? at + 2 : at + 1;
            column = tokens.words(column, "IF", "NOT", "EXISTS") ? column + 3
                    : tokens.words(column, "IF", "EXISTS") ? column + 2 : column;
            quote(column);
            if (verb.is("CHANGE")) {
                quote(column + 1);
            }
            if (verb.is("ALTER") && tokens.words(column + 1, "SET", "DATA", "TYPE")) {
                edits.put(tokens.get(column + 1).start(), new Edit(tokens.get(column + 3).start(), ""));
            }
        }
    }

    private boolean notColumn(int at) {
        Token token = tokens.get(at);
        return token == null || token.kind() == Kind.WORD && NOT_COLUMN.contains(token.text().toUpperCase(java.util.Locale.ROOT));
    }

    /** {@code ENGINE=InnoDB ROW_FORMAT=DYNAMIC}: MySQL takes table options with or without commas, the parser with. */
    private void separateTableOptions(int from) {
        for (int k = from; k + 3 < tokens.size(); k++) {
            Token value = tokens.get(k);
            if (tokens.get(k - 1).isSymbol("=") && value.kind() != Kind.SYMBOL
                    && tokens.get(k + 1).kind() == Kind.WORD && tokens.get(k + 2).isSymbol("=")) {
                edits.put(value.end(), new Edit(value.end(), ","));
            }
        }
    }

    /** Quotes the table after each REFERENCES. */
    private void references() {
        for (int k = 0; k < tokens.size(); k++) {
            if (tokens.get(k).is("REFERENCES")) {
                name(k + 1);
            }
        }
    }

    /** Quotes a possibly qualified name from {@code at}; returns the index after it. */
    private int name(int at) {
        quote(at);
        while (tokens.get(at + 1) != null && tokens.get(at + 1).isSymbol(".")) {
            at += 2;
            quote(at);
        }
        return at + 1;
    }

    private void quote(int at) {
        Token token = tokens.get(at);
        if (token != null && token.kind() == Kind.WORD) {
            String q = mysql ? "`" : "\"";
            edits.put(token.start(), new Edit(token.end(), q + token.text() + q));
        }
    }

    /** The index of the next element after a top-level comma, or {@code end}. */
    private int next(int at, int end) {
        for (int k = at; k < end; k++) {
            Token token = tokens.get(k);
            if (token.isSymbol("(")) {
                k = tokens.closing(k);
            } else if (token.isSymbol(",")) {
                return k + 1;
            }
        }
        return end;
    }

    private String apply() {
        StringBuilder text = new StringBuilder();
        int at = 0;
        for (var edit : edits.entrySet()) {
            text.append(tokens.sql(), at, edit.getKey()).append(edit.getValue().text());
            at = edit.getValue().end();
        }
        return text.append(tokens.sql().substring(at)).toString();
    }
}
