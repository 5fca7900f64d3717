package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.Rewrite;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.AbstractJSqlParser;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.alter.RenameTableStatement;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CheckConstraint;
import net.sf.jsqlparser.statement.create.table.ColDataType;
import net.sf.jsqlparser.statement.create.table.ForeignKeyIndex;
import net.sf.jsqlparser.statement.create.table.Index;
import net.sf.jsqlparser.statement.drop.Drop;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.parser.Parser;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.database.mysql.MySQLParser;
import org.flywaydb.database.mysql.mariadb.MariaDBParser;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * MySQL's and MariaDB's rules for InnoDB online DDL: which operations are INSTANT, INPLACE or COPY depends on the
 * operation and the server version.
 */
final class MySqlRules implements StaticRules {
    /** Non-deterministic default expressions: InnoDB fills each row, copying the table. */
    private static final Set<String> VOLATILE = Set.of("uuid", "uuid_short", "rand", "sysdate", "random_bytes",
            "uuid_v4", "uuid_v7");
    private static final Set<String> DETERMINISTIC = Set.of("now", "current_timestamp", "localtimestamp",
            "curdate", "current_date", "json_array", "json_object");
    private static final Map<String, Integer> INTEGER_BYTES = Map.of("tinyint", 1, "smallint", 2, "mediumint", 3,
            "int", 4, "integer", 4, "bigint", 8);
    private final Engine engine;
    private final EngineVersion version;
    private final Dialect advice;

    MySqlRules(Engine engine, EngineVersion version) {
        this.engine = engine;
        this.version = version;
        this.advice = Dialect.of(engine);
    }

    @Override
    public AbstractJSqlParser.Dialect dialect() {
        return engine == Engine.MARIADB ? AbstractJSqlParser.Dialect.MARIADB : AbstractJSqlParser.Dialect.MYSQL;
    }

    @Override
    public Parser splitter(Configuration configuration) {
        return engine == Engine.MARIADB ? new MariaDBParser(configuration, new ParsingContext())
                : new MySQLParser(configuration, new ParsingContext());
    }

    private String server() {
        return engine == Engine.MARIADB ? "MariaDB" : "MySQL";
    }

    /** Instant ADD COLUMN: MySQL 8.0.12 (last position only until 8.0.29), MariaDB 10.3 (any position from 10.4). */
    private boolean instantAdd(boolean positioned) {
        return engine == Engine.MARIADB ? version.atLeast(10, positioned ? 4 : 3, 0)
                : version.atLeast(8, 0, positioned ? 29 : 12);
    }

    /** Instant DROP COLUMN: MySQL 8.0.29, MariaDB 10.4. */
    private boolean instantDrop() {
        return engine == Engine.MARIADB ? version.atLeast(10, 4, 0) : version.atLeast(8, 0, 29);
    }

    @Override
    public void check(Statement statement, Schema schema, Session session, List<Hit> hits) {
        if (statement instanceof SetStatement set) {
            String timeout = Sql.setting(set, "lock_wait_timeout");
            String checks = Sql.setting(set, "foreign_key_checks");
            session.lockTimeout |= timeout != null;
            if (checks != null) {
                session.foreignKeyChecksOff = checks.equals("0") || checks.equals("off");
            }
        } else if (statement instanceof CreateIndex index && !schema.isNew(Schema.name(index.getTable()))) {
            String table = Schema.name(index.getTable());
            List<String> tail = index.getTailParameters() == null ? List.of() : index.getTailParameters();
            addIndex(table, index.getIndex(), option(tail, "ALGORITHM"), option(tail, "LOCK"), hits);
            lockTimeout(table, session, hits);
        } else if (statement instanceof Drop drop && "TABLE".equalsIgnoreCase(drop.getType())) {
            String table = Schema.name(drop.getName());
            if (!schema.isNew(table)) {
                hits.add(Hit.droppedTable(table));
                lockTimeout(table, session, hits);
            }
        } else if (statement instanceof RenameTableStatement rename) {
            for (Map.Entry<Table, Table> names : rename.getTableNames()) {
                String table = Schema.name(names.getKey());
                if (!schema.isNew(table)) {
                    hits.add(Hit.renamed(advice, table, null, Schema.name(names.getValue())));
                    lockTimeout(table, session, hits);
                }
            }
        } else if (statement instanceof Alter alter && !schema.isNew(Schema.name(alter.getTable()))) {
            String table = Schema.name(alter.getTable());
            String algorithm = null;
            String lock = null;
            for (AlterExpression expression : alter.getAlterExpressions()) {
                algorithm = expression.getAlgorithmOption() == null ? algorithm : expression.getAlgorithmOption();
                lock = expression.getLockOption() == null ? lock : expression.getLockOption();
            }
            for (AlterExpression expression : alter.getAlterExpressions()) {
                check(table, expression, algorithm, lock, schema, session, hits);
            }
            if ("COPY".equalsIgnoreCase(algorithm)) {
                hits.add(Hit.of(Rule.TABLE_REWRITE, table, "ALGORITHM=COPY copies all of " + table + " into a new "
                        + "table, blocking writes throughout. Safe alternative: "
                        + advice.rewriteAlternative(Rewrite.OTHER, false)));
            } else if (alter.getAlterExpressions().stream().anyMatch(e -> e.getOperation() == AlterOperation.FORCE
                    || e.getOperation() == AlterOperation.ENGINE || e.getEngineOption() != null)) {
                hits.add(Hit.of(Rule.TABLE_REWRITE, table, "FORCE or ENGINE= rebuilds " + table + " (InnoDB: in place, "
                        + "reads and writes go on). Safe alternative: " + advice.rewriteAlternative(Rewrite.REBUILD, true)));
            }
            if (lock != null && !lock.equalsIgnoreCase("NONE") && !lock.equalsIgnoreCase("DEFAULT")) {
                hits.add(Hit.of(Rule.BLOCKING_LOCK, table, "LOCK=" + lock.toUpperCase(Locale.ROOT) + " blocks "
                        + (lock.equalsIgnoreCase("SHARED") ? "writes to " : "reads and writes of ") + table + " for the "
                        + "whole ALTER; how long depends on the table's size, which schema:rehearse estimates. Safe "
                        + "alternative: " + advice.blockingLockAlternative()));
            }
            lockTimeout(table, session, hits);
        }
    }

    @Override
    public void check(Recognised statement, Schema schema, Session session, List<Hit> hits) {
        List<String> existing = statement.tables().stream().filter(t -> !schema.isNew(t)).toList();
        switch (statement.kind()) {
            case REBUILD -> existing.forEach(table -> {
                hits.add(Hit.of(Rule.TABLE_REWRITE, table, statement.what() + " " + table + " rebuilds " + table
                        + " (InnoDB: in place, reads and writes go on). Safe alternative: "
                        + advice.rewriteAlternative(Rewrite.REBUILD, true)));
                lockTimeout(table, session, hits);
            });
            case TRIGGER -> existing.forEach(table -> lockTimeout(table, session, hits));
            case LOCK_TABLES_READ, LOCK_TABLES_WRITE -> existing.forEach(table -> {
                boolean write = statement.kind() == Recognised.Kind.LOCK_TABLES_WRITE;
                hits.add(Hit.of(Rule.BLOCKING_LOCK, table, "LOCK TABLES " + table + (write ? " WRITE blocks reads and "
                        + "writes of " : " READ blocks writes to ") + table + " until UNLOCK TABLES. Safe alternative: "
                        + "don't lock explicitly; let each statement take the lock it needs"));
                lockTimeout(table, session, hits);
            });
            default -> { } // tables created, statements on new tables, statements that lock no table
        }
    }

    private void check(String table, AlterExpression expression, String algorithm, String lock, Schema schema,
                       Session session, List<Hit> hits) {
        AlterOperation operation = expression.getOperation();
        Index index = expression.getIndex();
        Hit.renames(advice, table, expression, hits);
        if (operation == AlterOperation.ADD && expression.getColDataTypeList() != null) {
            for (AlterExpression.ColumnDataType column : expression.getColDataTypeList()) {
                addColumn(table, column, hits);
            }
        } else if (operation == AlterOperation.ADD && index instanceof ForeignKeyIndex && !session.foreignKeyChecksOff) {
            hits.add(Hit.of(Rule.CONSTRAINT_VALIDATION_SCAN, table, "ADD FOREIGN KEY with foreign_key_checks on "
                    + "copies " + table + " (ALGORITHM=COPY), checking every row while writes are blocked. Safe "
                    + "alternative: " + advice.constraintAlternative(true)));
        } else if (operation == AlterOperation.ADD && index instanceof CheckConstraint) {
            hits.add(Hit.of(Rule.CONSTRAINT_VALIDATION_SCAN, table, "ADD CHECK copies " + table + " (ALGORITHM=COPY) "
                    + "to check every row while writes are blocked. Safe alternative: "
                    + advice.constraintAlternative(false)));
        } else if (operation == AlterOperation.ADD && index != null) {
            addIndex(table, index, algorithm, lock, hits);
        } else if ((operation == AlterOperation.MODIFY || operation == AlterOperation.CHANGE)
                && expression.getColDataTypeList() != null) {
            for (AlterExpression.ColumnDataType column : expression.getColDataTypeList()) {
                String old = operation == AlterOperation.CHANGE && expression.getColumnOldName() != null
                        ? expression.getColumnOldName() : column.getColumnName();
                modify(table, column, schema.column(table, Schema.unquote(old)), hits);
            }
        } else if (operation == AlterOperation.DROP && expression.getColumnName() != null) {
            String name = table + "." + Schema.unquote(expression.getColumnName());
            hits.add(Hit.droppedColumn(table, Schema.unquote(expression.getColumnName())));
            if (!instantDrop()) {
                hits.add(Hit.of(Rule.TABLE_REWRITE, table, "on " + server() + " " + versionText() + ", DROP COLUMN "
                        + name + " rebuilds " + table + " (INSTANT from " + (engine == Engine.MARIADB ? "MariaDB 10.4"
                        : "MySQL 8.0.29") + "). Safe alternative: leave the column unused until the server is upgraded"));
            }
        }
    }

    private void addColumn(String table, AlterExpression.ColumnDataType column, List<Hit> hits) {
        String name = table + "." + Schema.unquote(column.getColumnName());
        Expression value = Sql.defaultOf(column);
        String function = value == null ? null : Sql.function(value);
        String safe = ". Safe alternative: " + advice.rewriteAlternative(Rewrite.VOLATILE_DEFAULT, false);
        if (function != null && VOLATILE.contains(function)) {
            String message = "ADD COLUMN " + name + " DEFAULT " + value + ": " + function + "() differs per row, so "
                    + server() + " can add it neither INSTANT nor INPLACE and copies " + table + ", blocking writes" + safe;
            hits.add(Hit.of(Rule.VOLATILE_DEFAULT, table, message));
            hits.add(Hit.of(Rule.TABLE_REWRITE, table, message));
        } else if (function != null && !DETERMINISTIC.contains(function)) {
            hits.add(Hit.unknown(Rule.VOLATILE_DEFAULT, table, "ADD COLUMN " + name + " DEFAULT " + value + ": a "
                    + "non-deterministic " + function + "() would copy " + table));
        } else if (Sql.hasSpec(column.getColumnSpecs(), "STORED")) {
            hits.add(Hit.of(Rule.TABLE_REWRITE, table, "ADD COLUMN " + name + " … STORED computes every row, "
                    + "copying " + table + " while writes wait. Safe alternative: "
                    + advice.rewriteAlternative(Rewrite.STORED_GENERATED_COLUMN, false)));
        } else {
            boolean positioned = Sql.hasSpec(column.getColumnSpecs(), "AFTER") || Sql.hasSpec(column.getColumnSpecs(), "FIRST");
            if (!instantAdd(positioned)) {
                hits.add(Hit.of(Rule.TABLE_REWRITE, table, "on " + server() + " " + versionText() + ", ADD COLUMN "
                        + name + (positioned ? " with FIRST/AFTER" : "") + " is not INSTANT: " + table + " is rebuilt"
                        + ". Safe alternative: add the column last, on a server with INSTANT ADD COLUMN ("
                        + (engine == Engine.MARIADB ? "MariaDB 10.3, any position from 10.4" : "MySQL 8.0.12, any "
                        + "position from 8.0.29") + ")"));
            }
        }
    }

    private void addIndex(String table, Index index, String algorithm, String lock, List<Hit> hits) {
        boolean fullText = index.getKind() == Index.Kind.FULLTEXT || index.getKind() == Index.Kind.SPATIAL;
        boolean blocksWrites = lock != null && (lock.equalsIgnoreCase("SHARED") || lock.equalsIgnoreCase("EXCLUSIVE"));
        if (index.getKind() == Index.Kind.PRIMARY_KEY) {
            hits.add(Hit.of(Rule.TABLE_REWRITE, table, "ADD PRIMARY KEY rebuilds " + table + " (the clustered index). "
                    + "Safe alternative: declare the primary key when creating the table"));
        } else if (fullText || blocksWrites || "COPY".equalsIgnoreCase(algorithm)) {
            hits.add(Hit.of(Rule.INDEX_NOT_CONCURRENT, table, "the index on " + table + " is built "
                    + (fullText ? "(" + index.getKind() + ") with at best LOCK=SHARED" : "with LOCK=" + lock
                    + (algorithm == null ? "" : ", ALGORITHM=" + algorithm)) + ", blocking writes for the whole build. "
                    + "Safe alternative: " + advice.indexAlternative()));
        }
    }

    private void modify(String table, AlterExpression.ColumnDataType column, Schema.Column before, List<Hit> hits) {
        String name = table + "." + Schema.unquote(column.getColumnName());
        ColDataType to = column.getColDataType();
        String safe = ". Safe alternative: " + advice.rewriteAlternative(Rewrite.TYPE_CHANGE, false);
        if (before == null || before.type() == null) {
            hits.add(Hit.unknown(Rule.TABLE_REWRITE, table, "MODIFY " + name + " " + to + ": the column's current "
                    + "definition is not declared in the migrations lint read, and only a few changes (a longer "
                    + "VARCHAR within the same length-byte range, a rename) avoid copying the table"));
            return;
        }
        if (!before.notNull() && Sql.hasNotNull(column.getColumnSpecs())) {
            hits.add(Hit.of(Rule.NOT_NULL_SCAN, table, "MODIFY " + name + " … NOT NULL rebuilds " + table + " to check "
                    + "every row for NULLs. Safe alternative: " + advice.notNullAlternative()));
        }
        ColDataType from = before.type();
        String a = Sql.baseType(from);
        String b = Sql.baseType(to);
        List<Integer> fromArgs = Sql.arguments(from);
        List<Integer> toArgs = Sql.arguments(to);
        if (a.equals(b) && fromArgs.equals(toArgs)) {
            return;
        }
        boolean varchar = a.equals("varchar") && b.equals("varchar") && !fromArgs.isEmpty() && !toArgs.isEmpty();
        boolean narrower = varchar && toArgs.get(0) < fromArgs.get(0) || INTEGER_BYTES.containsKey(a)
                && INTEGER_BYTES.containsKey(b) && INTEGER_BYTES.get(b) < INTEGER_BYTES.get(a);
        if (narrower) {
            hits.add(Hit.of(Rule.DESTRUCTIVE_CHANGE, table, "MODIFY " + name + " " + to + " narrows " + from
                    + ": longer values fail or are truncated" + safe));
        }
        // A longer VARCHAR is INPLACE without a copy while the length prefix stays one byte (< 256 bytes) or two.
        boolean sameLengthBytes = varchar && !narrower && (fromArgs.get(0) < 256) == (toArgs.get(0) < 256);
        if (!sameLengthBytes) {
            hits.add(Hit.of(Rule.TABLE_REWRITE, table, "MODIFY " + name + " from " + from + " to " + to + " copies "
                    + table + " (ALGORITHM=COPY), blocking writes throughout" + safe));
        }
    }

    private String versionText() {
        return (version.major() + "." + (version.minor() == Integer.MAX_VALUE ? "x" : version.minor()
                + (version.patch() == Integer.MAX_VALUE ? "" : "." + version.patch())));
    }

    /** The value of {@code NAME=value} among CREATE INDEX's trailing words, or {@code null}. */
    private static String option(List<String> tail, String name) {
        for (int i = 0; i + 2 < tail.size(); i++) {
            if (tail.get(i).equalsIgnoreCase(name) && tail.get(i + 1).equals("=")) {
                return tail.get(i + 2);
            }
        }
        return null;
    }

    private void lockTimeout(String table, Session session, List<Hit> hits) {
        if (!session.lockTimeout) {
            hits.add(Hit.of(Rule.MISSING_LOCK_TIMEOUT, table, "the DDL on " + table + " needs an exclusive metadata "
                    + "lock and no SET lock_wait_timeout comes before it in this migration: behind a long transaction "
                    + "it waits, and every query on " + table + " queues behind it (a timeout set globally is not "
                    + "visible to lint; schema:rehearse runs it on the shadow). Safe alternative: "
                    + advice.lockTimeoutAlternative()));
        }
    }
}
