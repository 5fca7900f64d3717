package dev.schemarehearsal.harness.lint;

import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.alter.RenameTableStatement;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CheckConstraint;
import net.sf.jsqlparser.statement.create.table.ColDataType;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.table.Index;
import net.sf.jsqlparser.statement.drop.Drop;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What lint knows of the schema, from replaying every migration's DDL in order: column types and nullability (so a
 * type change can be told binary-coercible or narrowing), the validated {@code CHECK (c IS NOT NULL)} constraints,
 * and the tables the pending migrations create (empty in production, so nothing on them can block anyone).
 */
final class Schema {
    /** A column as declared. */
    record Column(ColDataType type, boolean notNull) { }

    private final Map<String, Map<String, Column>> tables = new HashMap<>();
    private final Set<String> created = new HashSet<>();
    private final Map<String, String> notNullChecks = new HashMap<>();
    private final Set<String> validatedNotNull = new HashSet<>();
    /** The tables lint saw created, and PostgreSQL's unlogged ones among them. */
    private final Set<String> declared = new HashSet<>();
    private final Set<String> unlogged = new HashSet<>();
    /** Index name to its table's name. */
    private final Map<String, String> indexes = new HashMap<>();
    private boolean pending;

    /** From now on, tables created are the pending migrations' own. */
    void startPending() {
        pending = true;
    }

    /** True when a pending migration created the table, so it holds no rows in production yet. */
    boolean isNew(String table) {
        return created.contains(table);
    }

    /** The column as declared, or {@code null} when lint has not seen it. */
    Column column(String table, String column) {
        return tables.getOrDefault(table, Map.of()).get(column);
    }

    /** Whether lint saw the table created and it is unlogged now; {@code null} when lint didn't see it created. */
    Boolean unlogged(String table) {
        return declared.contains(table) ? unlogged.contains(table) : null;
    }

    /** The table of an index lint saw created, or {@code null}. */
    String tableOf(String index) {
        return indexes.get(index);
    }

    /** True when a validated {@code CHECK (column IS NOT NULL)} lets PostgreSQL 12+ set NOT NULL without a scan. */
    boolean provenNotNull(String table, String column) {
        return validatedNotNull.contains(table + "." + column);
    }

    void apply(Statement statement) {
        if (statement instanceof CreateTable create) {
            String table = name(create.getTable());
            Map<String, Column> columns = new HashMap<>();
            for (ColumnDefinition definition : create.getColumnDefinitions() == null ? List.<ColumnDefinition>of()
                    : create.getColumnDefinitions()) {
                columns.put(unquote(definition.getColumnName()), new Column(definition.getColDataType(),
                        Sql.hasNotNull(definition.getColumnSpecs())));
            }
            tables.put(table, columns);
            declared.add(table);
            if (create.isUnlogged()) {
                unlogged.add(table);
            } else {
                unlogged.remove(table);
            }
            if (pending) {
                created.add(table);
            }
        } else if (statement instanceof Drop drop && "TABLE".equalsIgnoreCase(drop.getType())) {
            tables.remove(name(drop.getName()));
            declared.remove(name(drop.getName()));
        } else if (statement instanceof CreateIndex index && index.getIndex() != null && index.getIndex().getName() != null) {
            indexes.put(unquote(index.getIndex().getName()), name(index.getTable()));
        } else if (statement instanceof Alter alter) {
            String table = name(alter.getTable());
            for (AlterExpression expression : alter.getAlterExpressions()) {
                apply(table, expression);
            }
            alter.getAlterExpressions().stream().filter(e -> e.getOperation() == AlterOperation.RENAME_TABLE)
                    .forEach(e -> rename(table, unquote(last(e.getNewTableName()))));
        } else if (statement instanceof RenameTableStatement rename) {
            rename.getTableNames().forEach(names -> rename(name(names.getKey()), name(names.getValue())));
        }
    }

    /** What lint's own reading of a statement tells of the schema: a table created. */
    void apply(Recognised statement) {
        if (statement.kind() == Recognised.Kind.CREATE_TABLE) {
            String table = statement.tables().get(0);
            tables.put(table, new HashMap<>());
            declared.add(table);
            if (statement.what().contains("UNLOGGED")) {
                unlogged.add(table);
            }
            if (pending) {
                created.add(table);
            }
        }
    }

    /** A renamed table keeps its columns, and stays new when a pending migration created it. */
    private void rename(String from, String to) {
        Map<String, Column> columns = tables.remove(from);
        if (columns != null) {
            tables.put(to, columns);
        }
        if (created.remove(from)) {
            created.add(to);
        }
        if (unlogged.remove(from)) {
            unlogged.add(to);
        }
        if (declared.remove(from)) {
            declared.add(to);
        }
        indexes.replaceAll((index, table) -> table.equals(from) ? to : table);
        Map<String, String> checks = new HashMap<>(notNullChecks);
        notNullChecks.clear();
        checks.forEach((key, column) -> notNullChecks.put(renamed(key, from, to), renamed(column, from, to)));
        Set<String> proven = new HashSet<>(validatedNotNull);
        validatedNotNull.clear();
        proven.forEach(column -> validatedNotNull.add(renamed(column, from, to)));
    }

    private static String renamed(String tableDotName, String from, String to) {
        return tableDotName.startsWith(from + ".") ? to + tableDotName.substring(from.length()) : tableDotName;
    }

    /** The last part of a possibly qualified name. */
    private static String last(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private void apply(String table, AlterExpression expression) {
        Map<String, Column> columns = tables.computeIfAbsent(table, t -> new HashMap<>());
        AlterOperation operation = expression.getOperation();
        String specifier = operation == AlterOperation.UNSPECIFIC && expression.getOptionalSpecifier() != null
                ? expression.getOptionalSpecifier().trim().toUpperCase(Locale.ROOT) : "";
        if (specifier.matches("SET\\s+UNLOGGED")) {
            unlogged.add(table);
        } else if (specifier.matches("SET\\s+LOGGED")) {
            unlogged.remove(table);
        }
        if (expression.getColDataTypeList() != null) {
            for (AlterExpression.ColumnDataType column : expression.getColDataTypeList()) {
                String name = unquote(column.getColumnName());
                Column before = columns.get(name);
                boolean typeGiven = operation != AlterOperation.ALTER || column.isWithType();
                boolean notNull = operation == AlterOperation.ALTER ? before != null && before.notNull()
                        : Sql.hasNotNull(column.getColumnSpecs());
                columns.put(name, new Column(typeGiven ? column.getColDataType() : before == null ? null : before.type(),
                        notNull));
                if (operation == AlterOperation.CHANGE && expression.getColumnOldName() != null) {
                    columns.remove(unquote(expression.getColumnOldName()));
                }
            }
        }
        if (expression.getColumnSetNotNullList() != null) {
            for (AlterExpression.ColumnSetNotNull column : expression.getColumnSetNotNullList()) {
                Column before = columns.get(unquote(column.getColumnName()));
                columns.put(unquote(column.getColumnName()), new Column(before == null ? null : before.type(), true));
            }
        }
        if (operation == AlterOperation.DROP && expression.getColumnName() != null) {
            columns.remove(unquote(expression.getColumnName()));
        }
        Index index = expression.getIndex();
        if (operation == AlterOperation.ADD && index instanceof CheckConstraint check
                && check.getExpression() instanceof IsNullExpression isNull && isNull.isNot()
                && isNull.getLeftExpression() instanceof net.sf.jsqlparser.schema.Column column) {
            String key = table + "." + unquote(column.getColumnName());
            notNullChecks.put(table + "." + unquote(index.getName()), key);
            if (!Sql.notValid(index)) {
                validatedNotNull.add(key);
            }
        }
        String validated = Sql.validatedConstraint(expression);
        if (validated != null && notNullChecks.containsKey(table + "." + validated)) {
            validatedNotNull.add(notNullChecks.get(table + "." + validated));
        }
    }

    /** A table's name as the rules compare it: unquoted, lower case, without its schema. */
    static String name(Table table) {
        return unquote(table.getName());
    }

    static String unquote(String identifier) {
        if (identifier == null) {
            return null;
        }
        String name = identifier.length() > 1 && "\"`".indexOf(identifier.charAt(0)) >= 0
                ? identifier.substring(1, identifier.length() - 1) : identifier;
        return name.toLowerCase(Locale.ROOT);
    }
}
