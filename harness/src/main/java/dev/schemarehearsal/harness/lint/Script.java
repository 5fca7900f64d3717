package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Rule;
import net.sf.jsqlparser.parser.AbstractJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.TokenMgrException;
import net.sf.jsqlparser.statement.DoStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import org.flywaydb.core.internal.parser.Parser;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.SqlStatement;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A migration script read statement by statement: Flyway's own parser splits it (so delimiters, dollar quoting and
 * placeholders are as Flyway applies them), the SQL parser reads each statement in the engine's dialect.
 *
 * @param lines the script's lines, for header and {@code schema:ignore} comments
 */
record Script(Path path, String version, String description, List<String> lines, List<ParsedStatement> statements) {
    static final String IGNORE = "-- schema:ignore ";
    /** A statement that is a MySQL versioned comment, after any plain comments: group 2 is its code. */
    private static final Pattern VERSIONED = Pattern.compile("(?s)((?:\\s|--[^\\n]*\\n|/\\*[^!].*?\\*/)*)/\\*!\\d*(.*?)\\*/");
    /** Statement kinds lint reads itself even where the parser reads them: the parser's tree has nothing for them. */
    private static final Set<Recognised.Kind> OWN_FIRST = EnumSet.of(Recognised.Kind.REBUILD, Recognised.Kind.REINDEX,
            Recognised.Kind.TRIGGER, Recognised.Kind.LOCK_TABLES_READ, Recognised.Kind.LOCK_TABLES_WRITE);

    /**
     * Reads a script.
     *
     * @param reader one SQL parser for all statements, re-initialised for each: building one costs more than most
     *               statements take to parse
     */
    static Script read(Path path, String version, Parser splitter, CCJSqlParser reader, AbstractJSqlParser.Dialect dialect) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the migration " + path, e);
        }
        List<String> lines = text.lines().toList();
        List<ParsedStatement> statements = new ArrayList<>();
        // Flyway splits the text already read rather than reading the file again. The file's name is Flyway's filename
        // placeholder, its path is what Flyway's errors name.
        StringResource resource = new StringResource(text) {
            @Override
            public String getFilename() {
                return path.getFileName().toString();
            }

            @Override
            public String getAbsolutePath() {
                return path.toString();
            }
        };
        int index = 0;
        try (SqlStatementIterator split = splitter.parse(resource)) {
            while (split.hasNext()) {
                SqlStatement statement = split.next();
                ParsedStatement parsed = parse(path, ++index, statement.getLineNumber(), statement.getSql(), lines,
                        reader, dialect);
                statements.add(parsed);
                if (parsed.parsed() instanceof DoStatement) {
                    statements.addAll(block(path, parsed, lines, reader, dialect));
                }
            }
        }
        return new Script(path, version, description(path), lines, statements);
    }

    /** Flyway's description: the file name after {@code __}, underscores read as spaces. */
    private static String description(Path path) {
        String name = path.getFileName().toString();
        return name.substring(name.indexOf("__") + 2, name.length() - ".sql".length()).replace('_', ' ');
    }

    private static ParsedStatement parse(Path path, int index, int line, String sql, List<String> lines,
                                         CCJSqlParser parser, AbstractJSqlParser.Dialect dialect) {
        Map<Rule, String> ignores = ignores(path, lines, line);
        boolean mysql = dialect != AbstractJSqlParser.Dialect.POSTGRESQL;
        Tokens tokens = Tokens.of(sql, mysql);
        // A MySQL versioned comment is code to the server: /*!40014 SET FOREIGN_KEY_CHECKS=0 */ sets it.
        String code = mysql && tokens.size() > 0 && VERSIONED.matcher(sql).lookingAt()
                ? VERSIONED.matcher(sql).replaceFirst("$1$2") : sql;
        Recognised own = Recognised.read(tokens);
        if (own != null && OWN_FIRST.contains(own.kind())) {
            return new ParsedStatement(index, line, sql, null, own, null, ignores);
        }
        // Flyway's text starts with the comments above the statement; its line number is that of the first code line.
        int codeOffset = tokens.size() == 0 ? 0 : (int) sql.substring(0, tokens.get(0).start()).chars()
                .filter(c -> c == '\n').count();
        String error;
        try {
            Statement statement = statement(parser, code, dialect);
            if (statement != null) {
                return new ParsedStatement(index, line, sql, statement, null, null, ignores);
            }
            error = "parser could not read the statement starting on line " + line;
        } catch (ParseException e) {
            Token at = e.currentToken == null ? null : e.currentToken.next;
            int errorLine = at == null ? line : line + at.beginLine - 1 - codeOffset;
            error = "parser could not read line " + errorLine + (at == null || at.image == null ? "" : " at '" + at.image + "'");
        } catch (TokenMgrException e) {
            error = "parser could not read the statement starting on line " + line + ": " + e.getMessage();
        }
        String quoted = Quoting.of(tokens, mysql);
        if (quoted != null) {
            try {
                Statement statement = statement(parser, quoted, dialect);
                if (statement != null) {
                    return new ParsedStatement(index, line, sql, statement, null, null, ignores);
                }
            } catch (ParseException | TokenMgrException e) {
                // the first attempt's error says where the statement stopped the parser
            }
        }
        return new ParsedStatement(index, line, sql, null, own, error, ignores);
    }

    /**
     * The DDL a PostgreSQL DO block runs, each statement read on its own, as the block's statement, at its own line: a
     * guarded {@code IF NOT EXISTS (…) THEN ALTER TABLE … END IF} locks the table as the bare ALTER would. A block
     * that runs dynamic SQL (EXECUTE) can't be read.
     */
    private static List<ParsedStatement> block(Path path, ParsedStatement block, List<String> lines, CCJSqlParser parser,
                                               AbstractJSqlParser.Dialect dialect) {
        Tokens tokens = Tokens.of(block.sql(), false);
        Tokens.Token body = tokens.list().stream().filter(t -> t.kind() == Tokens.Kind.DOLLAR_QUOTED).findFirst().orElse(null);
        if (body == null || tokens.size() == 0) {
            return List.of();
        }
        int tag = body.text().indexOf('$', 1) + 1;
        int codeStart = body.start() + tag;
        Tokens code = Tokens.of(block.sql().substring(codeStart, body.end() - tag), false);
        if (code.list().stream().anyMatch(t -> t.is("EXECUTE"))) {
            return List.of(new ParsedStatement(block.index(), block.line(), block.sql(), null, null, "the DO block "
                    + "starting on line " + block.line() + " runs dynamic SQL (EXECUTE), which lint can't read",
                    block.ignores()));
        }
        List<ParsedStatement> statements = new ArrayList<>();
        int start = 0;
        for (int k = 0; k <= code.size(); k++) {
            if (k < code.size() && code.get(k).isSymbol("(")) {
                k = code.closing(k);
            } else if (k == code.size() || code.get(k).isSymbol(";")) {
                int first = firstDdl(code, start, k);
                if (first >= 0) {
                    int from = codeStart + code.get(first).start();
                    int to = codeStart + (k < code.size() ? code.get(k).start() : code.sql().length());
                    int line = block.line() + (int) block.sql().substring(tokens.get(0).start(), from).chars()
                            .filter(c -> c == '\n').count();
                    statements.add(parse(path, block.index(), line, block.sql().substring(from, to), lines, parser, dialect));
                }
                start = k + 1;
            }
        }
        return statements;
    }

    /** Words that start the DDL lint checks. */
    private static final Set<String> DDL = Set.of("ALTER", "CREATE", "DROP", "LOCK", "CLUSTER", "VACUUM", "REINDEX");

    /**
     * The index of the first token of the DDL statement in the PL/pgSQL statement [from, to), after the control
     * words before it (BEGIN, IF … THEN, ELSE, EXCEPTION WHEN … THEN); -1 when it is not DDL.
     */
    private static int firstDdl(Tokens code, int from, int to) {
        int k = from;
        while (k < to) {
            Tokens.Token token = code.get(k);
            if (token.is("BEGIN") || token.is("ELSE") || token.is("LOOP") || token.is("EXCEPTION")) {
                k++;
            } else if (token.is("IF") || token.is("ELSIF") || token.is("WHEN")) {
                while (k < to && !code.get(k).is("THEN")) {
                    k = code.get(k).isSymbol("(") ? code.closing(k) + 1 : k + 1;
                }
                k++;
            } else {
                break;
            }
        }
        return k < to && code.get(k).kind() == Tokens.Kind.WORD
                && DDL.contains(code.get(k).text().toUpperCase(java.util.Locale.ROOT)) ? k : -1;
    }

    /** The parser's tree, or {@code null} when it only skipped over a statement it doesn't support. */
    private static Statement statement(CCJSqlParser parser, String sql, AbstractJSqlParser.Dialect dialect)
            throws ParseException {
        parser.ReInit(sql);
        parser.withDialect(dialect);
        Statement statement = parser.Statement();
        return statement instanceof UnsupportedStatement ? null : statement;
    }

    /**
     * The {@code -- schema:ignore <rule> <reason>} comments on the statement's first line and on the comment lines
     * directly above it.
     */
    private static Map<Rule, String> ignores(Path path, List<String> lines, int line) {
        Map<Rule, String> ignores = new LinkedHashMap<>();
        for (int i = line - 1; i >= 0 && i < lines.size(); i--) {
            String text = lines.get(i).trim();
            if (i < line - 1 && !text.startsWith("--")) {
                break;
            }
            int at = text.indexOf(IGNORE);
            if (at < 0) {
                continue;
            }
            String[] ruleAndReason = text.substring(at + IGNORE.length()).trim().split("\\s+", 2);
            Rule rule = Rule.byId(ruleAndReason[0]);
            if (rule == null || ruleAndReason.length < 2 || ruleAndReason[1].isBlank()) {
                throw new ConfigurationException("locations", path + ":" + (i + 1) + ": '" + text
                        + "' needs a known rule id and a reason",
                        "write -- schema:ignore <rule> <reason>, e.g. -- schema:ignore table-rewrite the table is empty in production");
            }
            ignores.putIfAbsent(rule, ruleAndReason[1].trim());
        }
        return ignores;
    }

    /** The value of a {@code -- <name>: value} line in the script's leading comments, or {@code null}. */
    String header(String name) {
        String prefix = "-- " + name + ":";
        int firstStatement = statements.isEmpty() ? lines.size() : statements.get(0).line() - 1;
        for (int i = 0; i < Math.min(firstStatement, lines.size()); i++) {
            String text = lines.get(i).trim();
            if (text.regionMatches(true, 0, prefix, 0, prefix.length()) && !text.substring(prefix.length()).isBlank()) {
                return text.substring(prefix.length()).trim();
            }
        }
        return null;
    }
}
