package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.lint.Tokens.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A statement the SQL parser can't read, read by its leading words: which tables it creates or locks, which is all
 * the rules need of it. Lint's own small reading of the statement kinds the parser lacks (VACUUM, CLUSTER, REINDEX,
 * OPTIMIZE TABLE, LOCK TABLES, a trigger whose body the parser stops in) and of the DDL shapes it may stop in.
 *
 * @param what   the statement's kind as the messages name it, e.g. {@code VACUUM FULL}
 * @param tables the tables it acts on, unquoted and in lower case; for RENAME the old name, then the new one
 */
record Recognised(Kind kind, String what, List<String> tables) {

    enum Kind {
        /** CREATE TABLE whose columns the parser couldn't read. */
        CREATE_TABLE,
        /** ALTER TABLE whose actions the parser couldn't read: nothing can be said unless the table is new. */
        ALTER_TABLE,
        /** CREATE INDEX the parser couldn't read: likewise. */
        CREATE_INDEX,
        /** VACUUM FULL, CLUSTER, OPTIMIZE TABLE: the table is rewritten. */
        REBUILD,
        /** REINDEX: the index is rebuilt; its table's writes wait (reads too, when they plan with the index). */
        REINDEX,
        /** A trigger created or dropped on the table: a short lock that blocks writes, waiting behind every reader. */
        TRIGGER,
        /** MySQL's LOCK TABLES … WRITE (reads and writes wait) or READ (writes wait). */
        LOCK_TABLES_WRITE,
        LOCK_TABLES_READ,
        /** Statements that take no lock on a table that other sessions would wait for. */
        NO_TABLE_LOCK
    }

    /** True when lint read only the table the statement acts on, not what it does to it. */
    boolean partial() {
        return kind == Kind.ALTER_TABLE || kind == Kind.CREATE_INDEX;
    }

    /** Leading words of statements that lock no table for other sessions beyond an instant. */
    private static final List<String> NO_LOCK = List.of("VACUUM", "ANALYZE", "UNLOCK TABLES", "INSERT", "UPDATE",
            "DELETE", "SELECT", "WITH", "CALL", "PERFORM", "GRANT", "REVOKE", "COMMENT ON", "SET", "RESET", "DO",
            "CREATE SEQUENCE", "ALTER SEQUENCE", "DROP SEQUENCE", "CREATE TYPE", "ALTER TYPE", "DROP TYPE",
            "CREATE EXTENSION", "ALTER EXTENSION", "CREATE SCHEMA", "ALTER SCHEMA", "CREATE DOMAIN", "ALTER DOMAIN",
            "CREATE ROLE", "ALTER ROLE", "CREATE USER", "ALTER USER", "ALTER DEFAULT PRIVILEGES", "CREATE FUNCTION",
            "CREATE OR REPLACE FUNCTION", "CREATE PROCEDURE", "CREATE OR REPLACE PROCEDURE", "ALTER FUNCTION",
            "ALTER PROCEDURE", "DROP FUNCTION", "DROP PROCEDURE", "CREATE VIEW", "CREATE OR REPLACE VIEW",
            "ALTER VIEW", "DROP VIEW", "CREATE EVENT", "ALTER EVENT", "DROP EVENT", "ALTER INDEX", "FLUSH");

    /** Reads the statement, or {@code null} when lint doesn't know its kind either. */
    static Recognised read(Tokens tokens) {
        if (tokens.size() == 0) {
            return new Recognised(Kind.NO_TABLE_LOCK, "comment", List.of());
        }
        String lead = tokens.lead(4);
        if (tokens.words(0, "VACUUM")) {
            return vacuum(tokens);
        }
        if (tokens.words(0, "CLUSTER")) {
            return cluster(tokens);
        }
        if (tokens.words(0, "REINDEX")) {
            int at = 1;
            if (tokens.get(at) != null && tokens.get(at).isSymbol("(")) {
                at = tokens.closing(at) + 1;
            }
            boolean table = tokens.words(at, "TABLE");
            at++;
            boolean concurrently = tokens.words(at, "CONCURRENTLY");
            at += concurrently ? 1 : 0;
            Token name = tokens.get(at);
            // REINDEX … CONCURRENTLY blocks neither reads nor writes.
            return concurrently ? new Recognised(Kind.NO_TABLE_LOCK, "REINDEX CONCURRENTLY", List.of())
                    : new Recognised(Kind.REINDEX, table ? "REINDEX TABLE" : "REINDEX INDEX",
                    name == null || name.name() == null ? List.of() : List.of(last(tokens, at)));
        }
        if (tokens.words(0, "OPTIMIZE")) {
            return new Recognised(Kind.REBUILD, "OPTIMIZE TABLE", tablesAfter(tokens, "TABLE"));
        }
        if (tokens.words(0, "LOCK", "TABLES") || tokens.words(0, "LOCK", "TABLE") && tokens.size() > 3
                && (tokens.get(tokens.size() - 1).is("WRITE") || tokens.get(tokens.size() - 1).is("READ")
                || tokens.get(tokens.size() - 1).is("LOCAL"))) {
            return lockTables(tokens);
        }
        int trigger = lead.startsWith("CREATE ") || lead.startsWith("DROP ") ? indexOf(tokens, "TRIGGER", 10) : -1;
        if (trigger > 0 && namesTrigger(tokens, trigger)) {
            int on = indexOf(tokens, "ON", tokens.size());
            return new Recognised(on < 0 ? Kind.NO_TABLE_LOCK : Kind.TRIGGER, tokens.get(0).text().toUpperCase(
                    java.util.Locale.ROOT) + " TRIGGER", on < 0 ? List.of() : List.of(last(tokens, on + 1)));
        }
        int table = createTable(tokens);
        if (table > 0) {
            return new Recognised(Kind.CREATE_TABLE, indexOf(tokens, "UNLOGGED", table) > 0 ? "CREATE UNLOGGED TABLE"
                    : "CREATE TABLE", List.of(last(tokens, table)));
        }
        if (tokens.words(0, "ALTER", "TABLE")) {
            int at = tokens.words(2, "IF", "EXISTS") ? 4 : 2;
            at = tokens.words(at, "ONLY") ? at + 1 : at;
            return new Recognised(Kind.ALTER_TABLE, "ALTER TABLE", List.of(last(tokens, at)));
        }
        if (lead.startsWith("CREATE INDEX") || lead.startsWith("CREATE UNIQUE INDEX")) {
            int on = indexOf(tokens, "ON", tokens.size());
            if (on > 0) {
                int at = tokens.words(on + 1, "ONLY") ? on + 2 : on + 1;
                return new Recognised(Kind.CREATE_INDEX, "CREATE INDEX", List.of(last(tokens, at)));
            }
        }
        for (String words : NO_LOCK) {
            if (lead.equals(words) || lead.startsWith(words + " ")) {
                return new Recognised(Kind.NO_TABLE_LOCK, words, List.of());
            }
        }
        return null;
    }

    /**
     * True when the word TRIGGER at {@code at} is what the statement creates or drops, after modifiers such as
     * {@code OR REPLACE} or {@code DEFINER = user}, not a name inside another CREATE.
     */
    private static boolean namesTrigger(Tokens tokens, int at) {
        for (int k = 1; k < at; k++) {
            Token token = tokens.get(k);
            if (token.isSymbol("(") || Set.of("TABLE", "INDEX", "VIEW", "FUNCTION", "PROCEDURE", "TYPE", "SEQUENCE")
                    .stream().anyMatch(token::is)) {
                return false;
            }
        }
        return true;
    }

    /** {@code VACUUM [FULL] [FREEZE] [VERBOSE] [ANALYZE] [table, …]} or {@code VACUUM (FULL, ANALYZE) [table, …]}. */
    private static Recognised vacuum(Tokens tokens) {
        int at = 1;
        boolean full = false;
        if (tokens.get(at) != null && tokens.get(at).isSymbol("(")) {
            int close = tokens.closing(at);
            for (int k = at + 1; k < close; k++) {
                Token value = tokens.get(k + 1);
                full |= tokens.get(k).is("FULL") && (value == null || !(value.is("false") || value.is("off")
                        || value.text().equals("0")));
            }
            at = close + 1;
        }
        Set<String> flags = Set.of("FULL", "FREEZE", "VERBOSE", "ANALYZE", "ANALYSE");
        while (tokens.get(at) != null && flags.stream().anyMatch(tokens.get(at)::is)) {
            full |= tokens.get(at).is("FULL");
            at++;
        }
        List<String> tables = names(tokens, at);
        return full ? new Recognised(Kind.REBUILD, "VACUUM FULL", tables) : new Recognised(Kind.NO_TABLE_LOCK, "VACUUM", tables);
    }

    /** {@code CLUSTER [VERBOSE] [table [USING index]]}, or the old {@code CLUSTER index ON table}. */
    private static Recognised cluster(Tokens tokens) {
        int at = tokens.words(1, "VERBOSE") ? 2 : 1;
        int on = indexOf(tokens, "ON", tokens.size());
        if (on > 0) {
            return new Recognised(Kind.REBUILD, "CLUSTER", List.of(last(tokens, on + 1)));
        }
        return new Recognised(Kind.REBUILD, "CLUSTER", tokens.get(at) == null ? List.of() : List.of(last(tokens, at)));
    }

    private static Recognised lockTables(Tokens tokens) {
        boolean write = false;
        List<String> tables = new ArrayList<>();
        int at = 2;
        while (at < tokens.size()) {
            tables.add(last(tokens, at));
            for (; at < tokens.size() && !tokens.get(at).isSymbol(","); at++) {
                write |= tokens.get(at).is("WRITE");
            }
            at++;
        }
        return new Recognised(write ? Kind.LOCK_TABLES_WRITE : Kind.LOCK_TABLES_READ, "LOCK TABLES", tables);
    }

    /** The index of the table name of a CREATE TABLE, or -1 when the statement is not one. */
    private static int createTable(Tokens tokens) {
        if (!tokens.words(0, "CREATE")) {
            return -1;
        }
        int at = 1;
        Set<String> modifiers = Set.of("OR", "REPLACE", "GLOBAL", "LOCAL", "TEMPORARY", "TEMP", "UNLOGGED");
        while (tokens.get(at) != null && modifiers.stream().anyMatch(tokens.get(at)::is)) {
            at++;
        }
        if (!tokens.words(at, "TABLE")) {
            return -1;
        }
        return tokens.words(at + 1, "IF", "NOT", "EXISTS") ? at + 4 : at + 1;
    }

    /** The names separated by commas from {@code at}, each the last part of a qualified name. */
    private static List<String> names(Tokens tokens, int at) {
        List<String> names = new ArrayList<>();
        while (at < tokens.size() && tokens.get(at).name() != null) {
            names.add(last(tokens, at));
            while (at < tokens.size() && !tokens.get(at).isSymbol(",")) {
                at = tokens.get(at).isSymbol("(") ? tokens.closing(at) + 1 : at + 1;
            }
            at++;
        }
        return names;
    }

    private static List<String> tablesAfter(Tokens tokens, String word) {
        int at = indexOf(tokens, word, 4);
        return at < 0 ? List.of() : names(tokens, at + 1);
    }

    /** The last part of the possibly qualified name at {@code at}: {@code public.orders} reads {@code orders}. */
    private static String last(Tokens tokens, int at) {
        while (tokens.get(at + 1) != null && tokens.get(at + 1).isSymbol(".") && tokens.get(at + 2) != null) {
            at += 2;
        }
        Token token = tokens.get(at);
        return token == null || token.name() == null ? "" : token.name();
    }

    /** The index of the first bare word among the first {@code within} tokens, or -1. */
    private static int indexOf(Tokens tokens, String word, int within) {
        for (int k = 0; k < Math.min(within, tokens.size()); k++) {
            if (tokens.get(k).is(word)) {
                return k;
            }
        }
        return -1;
    }
}
