package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;
import dev.schemarehearsal.harness.dialect.Dialect;
import net.sf.jsqlparser.parser.AbstractJSqlParser;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.parser.Parser;

import java.util.List;

/** One engine's static rules, for the production version. The lint counterpart of {@code dialect.Dialect}. */
interface StaticRules {

    static StaticRules of(Engine engine, String version) {
        return switch (engine) {
            case POSTGRESQL -> new PostgresRules(EngineVersion.parse(version));
            case MYSQL, MARIADB -> new MySqlRules(engine, EngineVersion.parse(version));
        };
    }

    /** The SQL parser's dialect for this engine. */
    AbstractJSqlParser.Dialect dialect();

    /** Flyway's script parser for the engine: it splits the statements as Flyway will apply them. */
    Parser splitter(Configuration configuration);

    /**
     * Checks one statement against the schema as it was before it.
     *
     * @param session what earlier statements of the same migration set (lock timeout, foreign key checks)
     */
    void check(Statement statement, Schema schema, Session session, List<Hit> hits);

    /** Checks a statement lint read itself (see {@link Recognised}). */
    void check(Recognised statement, Schema schema, Session session, List<Hit> hits);

    /** What one rule said of one statement. */
    record Hit(Rule rule, Severity severity, String table, String message) {
        static Hit of(Rule rule, String table, String message) {
            return new Hit(rule, rule.defaultSeverity(), table, message);
        }

        /** A pre-existing table dropped: the same on every engine. */
        static Hit droppedTable(String table) {
            return of(Rule.DESTRUCTIVE_CHANGE, table, "DROP TABLE " + table + " breaks the application version still "
                    + "running against it and loses its rows. Safe alternative: stop using it in one release, drop it in "
                    + "a later one (expand, then contract)");
        }

        /** A column dropped: the same on every engine. */
        static Hit droppedColumn(String table, String column) {
            return of(Rule.DESTRUCTIVE_CHANGE, table, "DROP COLUMN " + table + "." + column + " breaks the application "
                    + "version still reading it and loses its values. Safe alternative: stop using the column in one "
                    + "release, drop it in a later one");
        }

        /**
         * A pre-existing table or column renamed: the code still using the old name breaks; nothing is lost.
         *
         * @param column {@code null} when the table itself is renamed
         */
        static Hit renamed(Dialect advice, String table, String column, String to) {
            String what = column == null ? "table " + table : "column " + table + "." + column;
            return of(Rule.BREAKING_RENAME, table, "renaming " + what + " to " + to + " breaks the application version "
                    + "still using " + (column == null ? table : column) + ", from the moment the migration commits; no "
                    + "data is lost. Safe alternative: " + advice.renameAlternative(table, column, to));
        }

        /** The renames an ALTER TABLE action makes: the table's, or a column's ({@code RENAME COLUMN}, MySQL's {@code CHANGE}). */
        static void renames(Dialect advice, String table, AlterExpression expression, List<Hit> hits) {
            AlterOperation operation = expression.getOperation();
            if (operation == AlterOperation.RENAME_TABLE && expression.getNewTableName() != null) {
                String to = Schema.unquote(expression.getNewTableName());
                hits.add(renamed(advice, table, null, to.substring(to.lastIndexOf('.') + 1)));
            } else if (operation == AlterOperation.RENAME && expression.getColumnOldName() != null) {
                hits.add(renamed(advice, table, Schema.unquote(expression.getColumnOldName()),
                        Schema.unquote(expression.getColumnName())));
            } else if (operation == AlterOperation.CHANGE && expression.getColumnOldName() != null
                    && expression.getColDataTypeList() != null) {
                String from = Schema.unquote(expression.getColumnOldName());
                String to = Schema.unquote(expression.getColDataTypeList().get(0).getColumnName());
                if (!from.equals(to)) {
                    hits.add(renamed(advice, table, from, to));
                }
            }
        }

        /** Static analysis can't tell: said at info level, with where the answer comes from. */
        static Hit unknown(Rule rule, String table, String message) {
            return new Hit(rule, Severity.INFO, table, message + "; lint cannot tell statically: schema:rehearse measures it");
        }
    }

    /** Session settings made by the statements of one migration so far. */
    final class Session {
        boolean lockTimeout;
        boolean foreignKeyChecksOff;
    }

    /**
     * A production version such as {@code 16}, {@code 8.0.28} or {@code 10.11}. A missing part reads as the newest
     * release of the series: production runs patched servers.
     */
    record EngineVersion(int major, int minor, int patch) {
        static EngineVersion parse(String version) {
            String[] parts = version.trim().split("[.-]");
            return new EngineVersion(number(parts, 0), parts.length > 1 ? number(parts, 1) : Integer.MAX_VALUE,
                    parts.length > 2 ? number(parts, 2) : Integer.MAX_VALUE);
        }

        private static int number(String[] parts, int i) {
            String digits = parts[i].replaceAll("[^0-9].*", "");
            return digits.isEmpty() ? 0 : Integer.parseInt(digits);
        }

        boolean atLeast(int major, int minor, int patch) {
            return this.major != major ? this.major > major : this.minor != minor ? this.minor > minor : this.patch >= patch;
        }
    }
}
