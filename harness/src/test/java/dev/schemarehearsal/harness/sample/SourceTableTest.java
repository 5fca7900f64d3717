package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.dialect.Dialect.Column;
import dev.schemarehearsal.harness.dialect.Dialect.Reference;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SourceTableTest {
    private static List<String> key(String... values) {
        return Arrays.asList(values);
    }

    @Test
    void keysSortNullFirstThenWholeNumbersByValueThenTextByCharacters() {
        List<List<String>> keys = new ArrayList<>(List.of(key("b"), key("10"), key((String) null),
                key("-99999999999999999999"), key("2"), key("-3"), key("99999999999999999999"), key("a"), key("007"),
                key("9223372036854775807"), key("-9223372036854775808"), key("-100000000000000000000"),
                key("100000000000000000000")));
        keys.sort(SourceTable.KEY_ORDER);
        assertThat(keys).containsExactly(key((String) null), key("-100000000000000000000"), key("-99999999999999999999"),
                key("-9223372036854775808"), key("-3"), key("2"), key("10"), key("9223372036854775807"),
                key("99999999999999999999"), key("100000000000000000000"), key("007"), key("a"), key("b"));
    }

    @Test
    void compositeKeysSortColumnByColumn() {
        List<List<String>> keys = new ArrayList<>(List.of(key("SKU2", "10"), key("SKU10", "2"), key("SKU2", "9"),
                key("SKU2", null)));
        keys.sort(SourceTable.KEY_ORDER);
        assertThat(keys).containsExactly(key("SKU10", "2"), key("SKU2", null), key("SKU2", "9"), key("SKU2", "10"));
    }

    @Test
    void rowsOfATableThatReferencesItselfComeAfterTheRowsTheyReferenceAndACycleIsCutWhereItCloses() {
        TableName name = new TableName(null, "public", "employees");
        SourceTable table = new SourceTable(name, List.of(new Column("id", Column.Kind.NUMBER, false),
                new Column("manager_id", Column.Kind.NUMBER, false), new Column("mentor_id", Column.Kind.NUMBER, false)),
                List.of("id"), List.of(new Reference("manager", List.of("manager_id"), name, List.of("id")),
                new Reference("mentor", List.of("mentor_id"), name, List.of("id"))), null, Long.MAX_VALUE);
        // 1 manages 2, 2 manages 3 and 4, 4 mentors 5, 5 has a manager outside the sample; 6 and 7 manage each other.
        List<String[]> rows = List.of(new String[] {"3", "2", null}, new String[] {"5", "99", "4"},
                new String[] {"1", null, null}, new String[] {"4", "2", null}, new String[] {"2", "1", "1"},
                new String[] {"6", "7", null}, new String[] {"7", "6", null});
        List<String> ordered = table.parentsFirst(rows).stream().map(row -> row[0]).toList();
        assertThat(ordered).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7");
        for (String[] row : rows) {
            for (int reference = 1; reference <= 2; reference++) {
                if (row[reference] != null && ordered.contains(row[reference]) && !(row[0].equals("6")
                        || row[0].equals("7"))) {
                    assertThat(ordered.indexOf(row[reference])).as(row[0] + " after " + row[reference])
                            .isLessThan(ordered.indexOf(row[0]));
                }
            }
        }
        // Otherwise the order stays as given: 3's chain first (1, 2, 3), then 5's (4, 5), then the cycle.
        assertThat(ordered).containsExactly("1", "2", "3", "4", "5", "7", "6");
    }
}
