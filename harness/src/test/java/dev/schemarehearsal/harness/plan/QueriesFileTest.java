package dev.schemarehearsal.harness.plan;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Query;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class QueriesFileTest {
    private static final Path FILE = Path.of("src/rehearsal/queries.sql");

    private static List<Query> parse(String text) {
        return QueriesFile.parse(FILE, text.lines().toList());
    }

    @Test
    void readsNamesWeightsAndStatements() {
        List<Query> queries = parse("""
                -- The workload.

                -- name: customer_orders
                -- weight: 10
                SELECT id
                  FROM orders
                 WHERE customer_id = 42;

                -- name: product.by-sku
                -- looks a product up
                SELECT * FROM products WHERE sku = 'a;b' ;
                """);

        assertThat(queries).extracting(Query::name, Query::sql, Query::weight, Query::line).containsExactly(
                tuple("customer_orders", "SELECT id\n  FROM orders\n WHERE customer_id = 42", 10, 3),
                tuple("product.by-sku", "SELECT * FROM products WHERE sku = 'a;b'", 1, 9));
        assertThat(queries.get(0).location()).isEqualTo(FILE + ":3");
    }

    @Test
    void theShopsFileParses() {
        List<Query> queries = QueriesFile.read(Path.of("../fixtures/shop/src/rehearsal/queries.sql"));
        assertThat(queries).hasSize(11);
        assertThat(queries.get(0).name()).isEqualTo("customer_order_history");
        assertThat(queries.get(0).weight()).isEqualTo(10);
    }

    @Test
    void errorsNameTheFileTheLineAndTheFix() {
        assertError("SELECT 1;\n", 1, "SQL outside a query", "put a -- name: <id> line before it");
        assertError("-- name: a\nSELECT 1\n", 1, "query 'a' is not ended by ';' at a line end",
                "end its last line with ';'");
        assertError("-- name: a\nSELECT 1\n-- name: b\nSELECT 2;\n", 1,
                "query 'a' is not ended by ';' at a line end before the next -- name: on line 3",
                "end its last line with ';'");
        assertError("-- name: a\nSELECT 1;\n-- name: a\nSELECT 2;\n", 3, "the name 'a' is already used on line 1",
                "give each query its own name");
        assertError("-- name: a\n-- weight: many\nSELECT 1;\n", 2, "weight 'many' is not a whole number of 1 or more",
                "write e.g. -- weight: 5");
        assertError("-- name: a\n-- weight: 0\nSELECT 1;\n", 2, "weight '0' is not a whole number of 1 or more",
                "write e.g. -- weight: 5");
        assertError("-- name: a\nSELECT 1\n-- weight: 2\n;\n", 3, "-- weight: outside a query's header",
                "put it right after the query's -- name: line, before its SQL");
        assertError("-- name: a\n;\n", 1, "query 'a' has no SQL", "write its statement after the -- name: line");
        assertError("-- name: \nSELECT 1;\n", 1, "'' is not a query name",
                "write -- name: <id> with letters, digits, '_', '-' or '.', e.g. -- name: orders_of_customer");
    }

    @Test
    void aMissingFileIsAConfigurationError() {
        assertThatThrownBy(() -> QueriesFile.read(Path.of("no/such/queries.sql")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("no/such/queries.sql: unreadable");
    }

    private static void assertError(String text, int line, String message, String fix) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(FILE + ":" + line + ": " + message)
                .satisfies(e -> {
                    assertThat(((ConfigurationException) e).parameter()).isEqualTo("queries");
                    assertThat(((ConfigurationException) e).fix()).isEqualTo(fix);
                });
    }
}
