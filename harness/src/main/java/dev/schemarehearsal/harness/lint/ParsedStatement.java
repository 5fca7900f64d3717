package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.api.Rule;
import net.sf.jsqlparser.statement.Statement;

import java.util.Map;

/**
 * One statement of a migration script as Flyway splits it, and as the SQL parser read it.
 *
 * @param index      1-based position within the script, as the rehearsal counts statements
 * @param line       the line its SQL starts on
 * @param parsed     the parser's tree, or {@code null} when it could not read the statement
 * @param recognised lint's own reading of a statement the parser could not read (or has no tree for), else {@code null}
 * @param parseError where and why the parser stopped, when it could not read the statement
 * @param ignores    rules silenced for this statement by {@code -- schema:ignore <rule> <reason>}, with the reasons
 */
record ParsedStatement(int index, int line, String sql, Statement parsed, Recognised recognised,
                       String parseError, Map<Rule, String> ignores) {
    ParsedStatement {
        ignores = Map.copyOf(ignores);
    }

    /**
     * True when neither the parser nor lint's own reading tells what the statement does: an ALTER TABLE or CREATE
     * INDEX the parser couldn't read is only understood on a table the pending migrations created.
     */
    boolean unread(Schema schema) {
        return parsed == null && (recognised == null || recognised.partial() && !schema.isNew(recognised.tables().get(0)));
    }
}
