package dev.schemarehearsal.harness.lint;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.create.table.ColDataType;
import net.sf.jsqlparser.statement.create.table.ColumnOption;
import net.sf.jsqlparser.statement.create.table.Index;

import java.util.List;
import java.util.Locale;

/** Small questions asked of the parser's tree, shared by the engines' rules. */
final class Sql {
    private Sql() {
    }

    static boolean hasNotNull(List<String> specs) {
        return specs != null && String.join(" ", specs).toUpperCase(Locale.ROOT).matches("(.* )?NOT NULL( .*)?");
    }

    static boolean hasSpec(List<String> specs, String word) {
        return specs != null && specs.stream().anyMatch(s -> s.equalsIgnoreCase(word));
    }

    /** True when the constraint was added {@code NOT VALID}. */
    static boolean notValid(Index index) {
        return index.getConstraintAttributes() != null && index.getConstraintAttributes().isNotValid();
    }

    /** The constraint an {@code ALTER TABLE … VALIDATE CONSTRAINT name} validates, else {@code null}. */
    static String validatedConstraint(AlterExpression expression) {
        String specifier = expression.getOptionalSpecifier();
        if (expression.getOperation() != AlterOperation.UNSPECIFIC || specifier == null) {
            return null;
        }
        String[] words = specifier.trim().split("\\s+");
        return words.length == 3 && words[0].equalsIgnoreCase("VALIDATE") && words[1].equalsIgnoreCase("CONSTRAINT")
                ? Schema.unquote(words[2]) : null;
    }

    /** The column's DEFAULT expression, or {@code null}. */
    static Expression defaultOf(AlterExpression.ColumnDataType column) {
        if (column.getColumnOptions() == null) {
            return null;
        }
        return column.getColumnOptions().stream().filter(o -> o.getKind() == ColumnOption.Kind.DEFAULT)
                .map(ColumnOption::getDefaultExpression).findFirst().orElse(null);
    }

    /** The type's name without its arguments, lower case: {@code varchar(20)} reads {@code varchar}. */
    static String baseType(ColDataType type) {
        String name = type.getDataType().toLowerCase(Locale.ROOT);
        int paren = name.indexOf('(');
        return (paren < 0 ? name : name.substring(0, paren)).trim();
    }

    /** The type's numeric arguments ({@code numeric(12,2)} reads [12, 2]); empty when it has none. */
    static List<Integer> arguments(ColDataType type) {
        List<String> arguments = type.getArgumentsStringList();
        if (arguments != null && !arguments.isEmpty()) {
            return arguments.stream().filter(a -> a.trim().matches("[0-9]+")).map(a -> Integer.valueOf(a.trim())).toList();
        }
        if (type.getPrecision() != null) {
            return type.getScale() == null ? List.of(type.getPrecision()) : List.of(type.getPrecision(), type.getScale());
        }
        return List.of();
    }

    /** The lower-case name of the function an expression calls, unwrapping parentheses; else {@code null}. */
    static String function(Expression expression) {
        Expression inner = expression;
        while (inner instanceof net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList<?> list
                && list.size() == 1) {
            inner = (Expression) list.get(0);
        }
        if (inner instanceof net.sf.jsqlparser.expression.Parenthesis parenthesis) {
            inner = parenthesis.getExpression();
        }
        return inner instanceof Function function ? function.getName().toLowerCase(Locale.ROOT) : null;
    }

    /** The value a {@code SET name = value} statement gives the variable, lower case and unquoted; else {@code null}. */
    static String setting(SetStatement set, String variable) {
        for (int i = 0; i < set.getCount(); i++) {
            Object name = set.getName(i);
            if (name != null && name.toString().trim().toLowerCase(Locale.ROOT).replace("@@session.", "")
                    .replace("session ", "").replace("local ", "").equals(variable)) {
                List<Expression> values = set.getExpressions(i);
                return values == null || values.isEmpty() ? null
                        : values.get(0).toString().replace("'", "").trim().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
