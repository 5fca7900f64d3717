package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.Rewrite;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.parser.AbstractJSqlParser;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CheckConstraint;
import net.sf.jsqlparser.statement.create.table.ColDataType;
import net.sf.jsqlparser.statement.create.table.ForeignKeyIndex;
import net.sf.jsqlparser.statement.create.table.Index;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.lock.LockMode;
import net.sf.jsqlparser.statement.lock.LockStatement;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.parser.Parser;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.parser.Token;
import org.flywaydb.database.postgresql.PostgreSQLParser;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** PostgreSQL's rules (lock levels and rewrites as documented for ALTER TABLE and CREATE INDEX). */
final class PostgresRules implements StaticRules {
    /** Volatile functions commonly used as defaults: each row gets its own value, so the table is rewritten. */
    private static final Set<String> VOLATILE = Set.of("random", "gen_random_uuid", "uuid_generate_v1",
            "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7", "clock_timestamp", "timeofday", "nextval",
            "setseed", "txid_current");
    /** Stable and immutable functions commonly used as defaults: evaluated once, stored in the catalog (PG 11+). */
    private static final Set<String> STABLE = Set.of("now", "current_timestamp", "current_date", "localtimestamp",
            "transaction_timestamp", "statement_timestamp", "current_user", "session_user", "lower", "upper",
            "to_timestamp", "make_interval", "jsonb_build_object", "json_build_object", "array");
    private static final Set<String> SERIAL = Set.of("serial", "bigserial", "smallserial", "serial4", "serial8", "serial2");
    private static final Set<String> TEXT = Set.of("text", "varchar", "character varying");
    private static final Map<String, Integer> INTEGER_BYTES = Map.of("smallint", 2, "int2", 2, "integer", 4, "int", 4,
            "int4", 4, "bigint", 8, "int8", 8);
    /** LOCK TABLE modes that block writes (ROW SHARE, ROW EXCLUSIVE and SHARE UPDATE EXCLUSIVE don't). */
    private static final Set<LockMode> BLOCKING_MODES = Set.of(LockMode.Share, LockMode.ShareRowExclusive,
            LockMode.Exclusive);
    /** Spellings of the two timestamp types. */
    private static final Map<String, String> TIMESTAMPS = Map.of("timestamp", "timestamp",
            "timestamp without time zone", "timestamp", "timestamptz", "timestamptz",
            "timestamp with time zone", "timestamptz");
    private static final Dialect ADVICE = Dialect.of(Engine.POSTGRESQL);

    private final EngineVersion version;

    PostgresRules(EngineVersion version) {
        this.version = version;
    }

    @Override
    public AbstractJSqlParser.Dialect dialect() {
        return AbstractJSqlParser.Dialect.POSTGRESQL;
    }

    @Override
    public Parser splitter(Configuration configuration) {
        // Flyway's test of whether a statement may run in a transaction asks the database for its version; without a
        // database it throws, catches and logs an exception for each of a statement's first keywords, which made it
        // the costliest part of splitting. Lint doesn't use the answer, so it gives Flyway's base parser's one.
        return new PostgreSQLParser(configuration, new ParsingContext()) {
            @Override
            protected Boolean detectCanExecuteInTransaction(String simplifiedStatement, List<Token> keywords) {
                return true;
            }
        };
    }

    @Override
    public void check(Statement statement, Schema schema, Session session, List<Hit> hits) {
        if (statement instanceof SetStatement set) {
            String timeout = Sql.setting(set, "lock_timeout");
            if (timeout != null) {
                session.lockTimeout = !timeout.equals("0");
            }
        } else if (statement instanceof CreateIndex index && !schema.isNew(Schema.name(index.getTable()))) {
            String table = Schema.name(index.getTable());
            if (!index.isConcurrently()) {
                hits.add(Hit.of(Rule.INDEX_NOT_CONCURRENT, table, "CREATE INDEX on " + table + " takes a SHARE lock that "
                        + "blocks every INSERT, UPDATE and DELETE for the whole build. Safe alternative: "
                        + ADVICE.indexAlternative()));
                lockTimeout(table, "SHARE", session, hits);
            }
        } else if (statement instanceof LockStatement lock && BLOCKING_MODES.contains(lock.getLockMode())
                && !schema.isNew(Schema.name(lock.getTable()))) {
            String table = Schema.name(lock.getTable());
            hits.add(Hit.of(Rule.BLOCKING_LOCK, table, "LOCK TABLE " + table + " IN " + lock.getLockMode() + " MODE "
                    + "blocks writes to " + table + " until the migration's transaction ends; how long depends on the "
                    + "statements that follow and the table's size, which schema:rehearse measures. Safe alternative: "
                    + "don't lock explicitly; keep the transaction to the one statement that needs the lock"));
            lockTimeout(table, lock.getLockMode().toString(), session, hits);
        } else if (statement instanceof Drop drop && "TABLE".equalsIgnoreCase(drop.getType())) {
            String table = Schema.name(drop.getName());
            if (!schema.isNew(table)) {
                hits.add(Hit.droppedTable(table));
                lockTimeout(table, "ACCESS EXCLUSIVE", session, hits);
            }
        } else if (statement instanceof Alter alter && !schema.isNew(Schema.name(alter.getTable()))) {
            String table = Schema.name(alter.getTable());
            boolean blocking = false;
            for (AlterExpression expression : alter.getAlterExpressions()) {
                blocking |= check(table, expression, schema, hits);
            }
            if (blocking) {
                lockTimeout(table, "ACCESS EXCLUSIVE", session, hits);
            }
        }
    }

    @Override
    public void check(Recognised statement, Schema schema, Session session, List<Hit> hits) {
        switch (statement.kind()) {
            case REBUILD -> {
                if (statement.tables().isEmpty()) {
                    hits.add(Hit.of(Rule.TABLE_REWRITE, null, statement.what() + " without a table name rewrites "
                            + (statement.what().equals("CLUSTER") ? "every table clustered before" : "every table")
                            + ", each under an ACCESS EXCLUSIVE lock. Safe alternative: "
                            + ADVICE.rewriteAlternative(Rewrite.REBUILD, false)));
                }
                for (String table : statement.tables()) {
                    if (!schema.isNew(table)) {
                        hits.add(Hit.of(Rule.TABLE_REWRITE, table, statement.what() + " " + table + " writes all of "
                                + table + " anew under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends. "
                                + "Safe alternative: " + ADVICE.rewriteAlternative(Rewrite.REBUILD, false)));
                        lockTimeout(table, "ACCESS EXCLUSIVE", session, hits);
                    }
                }
            }
            case REINDEX -> {
                String name = statement.tables().isEmpty() ? null : statement.tables().get(0);
                String table = statement.what().equals("REINDEX INDEX") && schema.tableOf(name) != null
                        ? schema.tableOf(name) : name;
                if (table != null && !schema.isNew(table)) {
                    lockTimeout(table, "SHARE (and ACCESS EXCLUSIVE on the index, which queries planning with it "
                            + "wait for)", session, hits);
                }
            }
            case TRIGGER -> {
                String table = statement.tables().get(0);
                if (!schema.isNew(table)) {
                    lockTimeout(table, statement.what().startsWith("DROP") ? "ACCESS EXCLUSIVE" : "SHARE ROW EXCLUSIVE",
                            session, hits);
                }
            }
            default -> { } // tables created, statements on new tables, statements that lock no table
        }
    }

    /** Checks one action of an ALTER TABLE; returns whether it takes a lock that blocks reads or writes. */
    private boolean check(String table, AlterExpression expression, Schema schema, List<Hit> hits) {
        if (Sql.validatedConstraint(expression) != null) {
            return false; // SHARE UPDATE EXCLUSIVE: reads and writes go on
        }
        Hit.renames(ADVICE, table, expression, hits);
        String specifier = expression.getOperation() == AlterOperation.UNSPECIFIC && expression.getOptionalSpecifier() != null
                ? expression.getOptionalSpecifier().trim().toUpperCase(java.util.Locale.ROOT).replaceAll("\\s+", " ") : "";
        if (specifier.equals("SET LOGGED") || specifier.equals("SET UNLOGGED")) {
            boolean logged = specifier.equals("SET LOGGED");
            Boolean unlogged = schema.unlogged(table);
            String message = specifier + " writes all of " + table + " anew" + (logged ? ", to the write-ahead log too,"
                    : "") + " under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends. Safe alternative: "
                    + ADVICE.rewriteAlternative(logged ? Rewrite.SET_LOGGED : Rewrite.SET_UNLOGGED, false);
            if (unlogged == null) {
                hits.add(Hit.unknown(Rule.TABLE_REWRITE, table, specifier + " rewrites " + table + " unless it is "
                        + (logged ? "logged" : "unlogged") + " already, and the migrations lint read don't create it"));
            } else if (unlogged == logged) {
                hits.add(Hit.of(Rule.TABLE_REWRITE, table, message));
            }
        }
        AlterOperation operation = expression.getOperation();
        if (operation == AlterOperation.ADD && expression.getColDataTypeList() != null) {
            for (AlterExpression.ColumnDataType column : expression.getColDataTypeList()) {
                addColumn(table, column, hits);
            }
        }
        Index index = expression.getIndex();
        if (operation == AlterOperation.ADD && index != null) {
            addConstraint(table, index, hits);
        }
        if (expression.getColumnSetNotNullList() != null) {
            for (AlterExpression.ColumnSetNotNull column : expression.getColumnSetNotNullList()) {
                String name = Schema.unquote(column.getColumnName());
                if (!(version.atLeast(12, 0, 0) && schema.provenNotNull(table, name))) {
                    hits.add(Hit.of(Rule.NOT_NULL_SCAN, table, "SET NOT NULL on " + table + "." + name + " reads the "
                            + "whole table under an ACCESS EXCLUSIVE lock. Safe alternative: ADD CONSTRAINT … CHECK ("
                            + name + " IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later migration, then SET NOT "
                            + "NULL (PostgreSQL 12+ skips the scan)"));
                }
            }
        }
        if (operation == AlterOperation.ALTER && expression.getColDataTypeList() != null) {
            for (AlterExpression.ColumnDataType column : expression.getColDataTypeList()) {
                if (column.isWithType()) {
                    changeType(table, column, schema.column(table, Schema.unquote(column.getColumnName())), hits);
                }
            }
        }
        if (operation == AlterOperation.DROP && expression.getColumnName() != null) {
            hits.add(Hit.droppedColumn(table, Schema.unquote(expression.getColumnName())));
        }
        return true;
    }

    private void addColumn(String table, AlterExpression.ColumnDataType column, List<Hit> hits) {
        String name = table + "." + Schema.unquote(column.getColumnName());
        Expression value = Sql.defaultOf(column);
        String safe = ". Safe alternative: " + ADVICE.rewriteAlternative(Rewrite.VOLATILE_DEFAULT, false);
        if (Sql.hasSpec(column.getColumnSpecs(), "STORED")) {
            hits.add(Hit.of(Rule.TABLE_REWRITE, table, "ADD COLUMN " + name + " … STORED computes the expression for "
                    + "every row, rewriting " + table + " under an ACCESS EXCLUSIVE lock. Safe alternative: "
                    + ADVICE.rewriteAlternative(Rewrite.STORED_GENERATED_COLUMN, false)));
            return;
        }
        if (SERIAL.contains(Sql.baseType(column.getColDataType())) || Sql.hasSpec(column.getColumnSpecs(), "IDENTITY")) {
            hits.add(Hit.of(Rule.TABLE_REWRITE, table, "ADD COLUMN " + name + " fills every row from a sequence, "
                    + "rewriting " + table + " under an ACCESS EXCLUSIVE lock. Safe alternative: "
                    + ADVICE.rewriteAlternative(Rewrite.SEQUENCE_COLUMN, false)));
            return;
        }
        if (value == null) {
            return;
        }
        if (!version.atLeast(11, 0, 0)) {
            hits.add(Hit.of(Rule.TABLE_REWRITE, table, "before PostgreSQL 11, ADD COLUMN " + name + " with a DEFAULT "
                    + "rewrites " + table + " under an ACCESS EXCLUSIVE lock" + safe));
            return;
        }
        String function = Sql.function(value);
        if (function != null && VOLATILE.contains(function)) {
            String message = "ADD COLUMN " + name + " DEFAULT " + value + ": " + function + "() is volatile, so every "
                    + "row gets its own value and " + table + " is rewritten under an ACCESS EXCLUSIVE lock" + safe;
            hits.add(Hit.of(Rule.VOLATILE_DEFAULT, table, message));
            hits.add(Hit.of(Rule.TABLE_REWRITE, table, message));
        } else if (function != null && !STABLE.contains(function)) {
            hits.add(Hit.unknown(Rule.VOLATILE_DEFAULT, table, "ADD COLUMN " + name + " DEFAULT " + value
                    + ": a volatile " + function + "() would rewrite " + table + ", a stable or immutable one would not"));
        } else if (function == null && !constant(value)) {
            hits.add(Hit.unknown(Rule.VOLATILE_DEFAULT, table, "ADD COLUMN " + name + " DEFAULT " + value
                    + ": the default's volatility decides whether " + table + " is rewritten"));
        }
    }

    private static boolean constant(Expression value) {
        Expression inner = value instanceof SignedExpression signed ? signed.getExpression()
                : value instanceof CastExpression cast ? cast.getLeftExpression() : value;
        return inner instanceof LongValue || inner instanceof DoubleValue || inner instanceof StringValue
                || inner instanceof NullValue || inner instanceof BooleanValue || inner instanceof HexValue
                || inner instanceof DateTimeLiteralExpression || inner instanceof TimeKeyExpression
                || inner instanceof IntervalExpression;
    }

    private static void addConstraint(String table, Index index, List<Hit> hits) {
        String name = index.getName() == null ? "" : " " + index.getName();
        if ((index instanceof ForeignKeyIndex || index instanceof CheckConstraint) && !Sql.notValid(index)) {
            String kind = index instanceof ForeignKeyIndex ? "FOREIGN KEY" : "CHECK";
            hits.add(Hit.of(Rule.CONSTRAINT_VALIDATION_SCAN, table, "ADD CONSTRAINT" + name + " " + kind + " reads all of "
                    + table + " to validate it while holding a lock that blocks writes. Safe alternative: ADD "
                    + "CONSTRAINT … NOT VALID, then ALTER TABLE " + table + " VALIDATE CONSTRAINT in a later migration"));
        } else if (index.getKind() == Index.Kind.PRIMARY_KEY || index.getKind() == Index.Kind.UNIQUE) {
            hits.add(Hit.of(Rule.INDEX_NOT_CONCURRENT, table, "ADD CONSTRAINT" + name + " " + index.getType()
                    + " builds its index under an ACCESS EXCLUSIVE lock on " + table + ". Safe alternative: CREATE "
                    + "UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … USING INDEX"));
        }
    }

    private void changeType(String table, AlterExpression.ColumnDataType column, Schema.Column before,
                            List<Hit> hits) {
        String name = table + "." + Schema.unquote(column.getColumnName());
        ColDataType to = column.getColDataType();
        String safe = ". Safe alternative: " + ADVICE.rewriteAlternative(Rewrite.TYPE_CHANGE, false);
        if (column.getUsingExpression() != null && !itself(column.getUsingExpression(), column.getColumnName(), to)) {
            hits.add(Hit.of(Rule.TABLE_REWRITE, table, "ALTER COLUMN " + name + " TYPE " + to + " USING … converts "
                    + "every row, rewriting " + table + " under an ACCESS EXCLUSIVE lock" + safe));
            return;
        }
        if (before == null || before.type() == null) {
            hits.add(Hit.unknown(Rule.TABLE_REWRITE, table, "ALTER COLUMN " + name + " TYPE " + to + ": the column's "
                    + "current type is not declared in the migrations lint read, and only a binary-coercible change "
                    + "(e.g. a longer varchar, text to varchar) avoids a rewrite"));
            return;
        }
        ColDataType from = before.type();
        String fromTimestamp = TIMESTAMPS.get(typeName(from));
        String toTimestamp = TIMESTAMPS.get(typeName(to));
        if (fromTimestamp != null && toTimestamp != null && !fromTimestamp.equals(toTimestamp)) {
            // PostgreSQL 12+ converts between the two without touching a row when the session's time zone is UTC.
            if (version.atLeast(12, 0, 0)) {
                hits.add(new Hit(Rule.TABLE_REWRITE, Severity.WARNING, table, "ALTER COLUMN " + name + " TYPE " + to
                        + " from " + from + " rewrites " + table + " under an ACCESS EXCLUSIVE lock unless TimeZone is "
                        + "UTC: with the migration's session in UTC, PostgreSQL 12+ keeps every row as it is. Safe "
                        + "alternative: run the migration with TimeZone UTC (SET TimeZone = 'UTC' before the statement, "
                        + "or the connection's setting); otherwise " + ADVICE.rewriteAlternative(Rewrite.TYPE_CHANGE, false)));
            } else {
                hits.add(Hit.of(Rule.TABLE_REWRITE, table, "before PostgreSQL 12, ALTER COLUMN " + name + " TYPE " + to
                        + " from " + from + " rewrites " + table + " under an ACCESS EXCLUSIVE lock" + safe));
            }
            return;
        }
        switch (compare(from, to)) {
            case SAME, WIDER -> { }
            case NARROWER -> {
                hits.add(Hit.of(Rule.DESTRUCTIVE_CHANGE, table, "ALTER COLUMN " + name + " TYPE " + to + " narrows "
                        + from + ": longer values fail or are lost" + safe));
                hits.add(Hit.of(Rule.TABLE_REWRITE, table, "ALTER COLUMN " + name + " TYPE " + to + " from " + from
                        + " checks or rewrites every row under an ACCESS EXCLUSIVE lock" + safe));
            }
            case OTHER -> hits.add(Hit.of(Rule.TABLE_REWRITE, table, "ALTER COLUMN " + name + " TYPE " + to + " from "
                    + from + " is not binary-coercible: " + table + " is rewritten under an ACCESS EXCLUSIVE lock" + safe));
        }
    }

    /**
     * True when a USING expression only reads the column itself, perhaps cast to the new type: PostgreSQL then
     * decides on a rewrite as it would without USING.
     */
    private static boolean itself(Expression using, String column, ColDataType to) {
        Expression inner = unwrap(using);
        if (inner instanceof CastExpression cast && typeName(cast.getColDataType()).equals(typeName(to))) {
            inner = unwrap(cast.getLeftExpression());
        }
        return inner instanceof net.sf.jsqlparser.schema.Column read
                && Schema.unquote(read.getColumnName()).equals(Schema.unquote(column));
    }

    private static Expression unwrap(Expression expression) {
        Expression inner = expression;
        while (true) {
            if (inner instanceof net.sf.jsqlparser.expression.Parenthesis parenthesis) {
                inner = parenthesis.getExpression();
            } else if (inner instanceof net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList<?> list
                    && list.size() == 1) {
                inner = (Expression) list.get(0);
            } else {
                return inner;
            }
        }
    }

    /** A type's name without arguments and with single spaces: {@code timestamp(3) with time zone} reads {@code timestamp with time zone}. */
    private static String typeName(ColDataType type) {
        return type.getDataType().toLowerCase(java.util.Locale.ROOT).replaceAll("\\([^)]*\\)", " ").trim()
                .replaceAll("\\s+", " ");
    }

    private enum Change { SAME, WIDER, NARROWER, OTHER }

    /**
     * How a type change compares for PostgreSQL: binary-coercible changes (a longer or unlimited varchar, varchar
     * and text either way without a length, a wider numeric at the same scale) keep the storage.
     */
    private static Change compare(ColDataType from, ColDataType to) {
        String a = Sql.baseType(from);
        String b = Sql.baseType(to);
        List<Integer> fromArgs = Sql.arguments(from);
        List<Integer> toArgs = Sql.arguments(to);
        if (TEXT.contains(a) && TEXT.contains(b)) {
            if (toArgs.isEmpty()) {
                return Change.WIDER;
            }
            if (fromArgs.isEmpty() || toArgs.get(0) < fromArgs.get(0)) {
                return Change.NARROWER;
            }
            return toArgs.get(0).equals(fromArgs.get(0)) ? Change.SAME : Change.WIDER;
        }
        if (a.equals(b) && (a.equals("numeric") || a.equals("decimal"))) {
            if (toArgs.isEmpty()) {
                return Change.WIDER;
            }
            if (fromArgs.isEmpty()) {
                return Change.NARROWER;
            }
            int fromScale = fromArgs.size() > 1 ? fromArgs.get(1) : 0;
            int toScale = toArgs.size() > 1 ? toArgs.get(1) : 0;
            if (fromScale != toScale) {
                return toArgs.get(0) - toScale < fromArgs.get(0) - fromScale ? Change.NARROWER : Change.OTHER;
            }
            return toArgs.get(0) < fromArgs.get(0) ? Change.NARROWER : Change.WIDER;
        }
        if (a.equals(b) && fromArgs.equals(toArgs)) {
            return Change.SAME;
        }
        if (INTEGER_BYTES.containsKey(a) && INTEGER_BYTES.containsKey(b) && INTEGER_BYTES.get(b) < INTEGER_BYTES.get(a)) {
            return Change.NARROWER;
        }
        return Change.OTHER;
    }

    private static void lockTimeout(String table, String mode, Session session, List<Hit> hits) {
        if (!session.lockTimeout) {
            hits.add(Hit.of(Rule.MISSING_LOCK_TIMEOUT, table, "takes " + mode + " on " + table + " and no SET lock_timeout "
                    + "comes before it in this migration: behind a long transaction it would wait, and every query on "
                    + table + " would queue behind it (a timeout set for the role or by Flyway's initSql is not visible "
                    + "to lint; schema:rehearse measures the session's setting). Safe alternative: "
                    + ADVICE.lockTimeoutAlternative()));
        }
    }
}
