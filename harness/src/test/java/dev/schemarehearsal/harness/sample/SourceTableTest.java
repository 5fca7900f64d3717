package dev.schemarehearsal.harness.sample;

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
}
