package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.dialect.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplePlanTest {
    @TempDir
    Path directory;

    private SamplePlan read(String json) throws Exception {
        return SamplePlan.read(Files.writeString(directory.resolve("sample.json"), json));
    }

    @Test
    void readsRulesMasksAndDefaults() throws Exception {
        SamplePlan plan = read("""
                {"referencing": 50, "exclude": ["audit"],
                 "tables": {"orders": {"percent": 1.5, "where": "status <> 'test'"}, "items": {"referencing": 10},
                            "public.customers": {"rows": 100}},
                 "masks": {"customers.email": "email", "customers.country": {"fixed": "NL"}, "customers.id": "hash"}}
                """);
        assertThat(plan.referencing()).isEqualTo(50);
        assertThat(plan.exclude()).containsExactly("audit");
        assertThat(plan.tables().get("orders")).isEqualTo(new SamplePlan.TableRule(1.5, null,
                new SamplePlan.Where("status <> 'test'", 2), null, null));
        assertThat(plan.tables().get("items").selects()).isFalse();
        assertThat(plan.masks()).containsEntry("customers.email", new Mask(Mask.Kind.EMAIL, null))
                .containsEntry("customers.country", new Mask(Mask.Kind.FIXED, "NL"))
                .containsEntry("customers.id", new Mask(Mask.Kind.HASH, null));
        assertThat(read("{}").referencing()).isZero();
    }

    @Test
    void viaNamesForeignKeysWithTheirLinesAndTakesEveryReferencingRowUnlessLimited() throws Exception {
        SamplePlan plan = read("""
                {"referencing": 5,
                 "tables": {"order_items": {"via": ["order_id",
                                                   "order_items_sku_fkey"]},
                            "orders": {"via": ["customer_id"], "referencing": 100}, "customers": {"percent": 1}}}
                """);
        assertThat(plan.tables().get("order_items").via()).containsExactly(new SamplePlan.Via("order_id", 2),
                new SamplePlan.Via("order_items_sku_fkey", 3));
        assertThat(plan.referencingLimit(plan.tables().get("order_items"))).isEqualTo(Long.MAX_VALUE);
        assertThat(plan.referencingLimit(plan.tables().get("orders"))).isEqualTo(100);
        assertThat(plan.referencingLimit(plan.tables().get("customers"))).isEqualTo(5);
        assertThat(plan.referencingLimit(null)).isEqualTo(5);
        assertThatThrownBy(() -> read("{\"tables\": {\"orders\": {\"via\": [\" \"]}}}"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("$.tables.orders.via[0]: is empty");
        assertThatThrownBy(() -> read("{\"tables\": {\"orders\": {\"via\": [1]}}}"))
                .hasMessageContaining("$.tables.orders.via");
    }

    @Test
    void aWhereRuleThatIsNotOneReadingConditionIsRefusedWithItsLineAndPath() throws Exception {
        Path file = directory.resolve("sample.json");
        SamplePlan plan = read("""
                {"tables": {
                   "customers": {"where": "note = 'a;b'"},
                   "orders": {"rows": 5,
                              "where": "total > 10) ORDER BY 1 LIMIT 1; COMMIT; BEGIN READ WRITE; INSERT INTO items VALUES (1); COMMIT; BEGIN; SELECT 1 WHERE (true"}}}
                """);
        assertThatThrownBy(() -> plan.checkWhereRules(file, Dialect.of(Engine.POSTGRESQL)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(file + ":4: $.tables.orders.where: ';' outside a string or comment ends a statement")
                .satisfies(e -> assertThat(((ConfigurationException) e).parameter()).isEqualTo("sampleConfig"));
        assertThatThrownBy(() -> read("{\"tables\": {\"orders\": {\"where\": [\"a\"]}}}"))
                .hasMessageContaining("$.tables.orders.where");
        assertThatThrownBy(() -> read("{\"tables\": {\"orders\": {\"where\": 1}}}"))
                .hasMessageContaining("$.tables.orders.where");
    }

    @Test
    void mistakesNameTheFileThePathAndTheFix() {
        assertThatThrownBy(() -> read("{\"tables\": {\"orders\": {\"percent\": 1, \"rows\": 5}}}"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sample.json: $.tables.orders: has both percent and rows");
        assertThatThrownBy(() -> read("{\"tables\": {\"orders\": {\"percent\": 0}}}"))
                .hasMessageContaining("$.tables.orders.percent: 0.0 is outside 0 (excluded) to 100");
        assertThatThrownBy(() -> read("{\"tables\": {\"orders\": {\"percnt\": 1}}}"))
                .hasMessageContaining("$.tables.orders.percnt");
        assertThatThrownBy(() -> read("{\"masks\": {\"customers.email\": \"scramble\"}}"))
                .hasMessageContaining("$.masks[\"customers.email\"]: unknown mask \"scramble\"")
                .satisfies(e -> assertThat(((ConfigurationException) e).fix()).contains("\"hash\""));
        assertThatThrownBy(() -> read("{\"masks\": {\"email\": \"email\"}}"))
                .hasMessageContaining("'email' names no table");
        assertThatThrownBy(() -> read("{\"tables\": ")).hasMessageContaining("sample.json:1:").hasMessageContaining("not JSON");
        assertThatThrownBy(() -> read("{\"tables\": {\"orders\": {\"percent\": 1}}}"
                .replace("1}}}", "1}}, \"referencing\": -1}"))).hasMessageContaining("$.referencing: -1 is negative");
    }
}
