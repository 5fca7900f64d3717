package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.dialect.Dialect.Column;
import dev.schemarehearsal.harness.dialect.Dialect.Reference;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import dev.schemarehearsal.harness.sample.ClosurePlan.Edge;
import dev.schemarehearsal.harness.sample.ClosurePlan.Estimate;
import dev.schemarehearsal.harness.sample.SamplePlan.TableRule;
import dev.schemarehearsal.harness.sample.SamplePlan.Via;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The closure plan from a catalog given by hand: which foreign keys are followed, how, and what is refused. */
class ClosurePlanTest {
    private static final Path CONFIG = Path.of("src/rehearsal/sample.json");

    /** orders → customers, order_items → orders and → products (composite, unindexed); customers → customers. */
    private final Map<TableName, SourceTable> tables = new LinkedHashMap<>();
    private final Map<SourceTable, Map<String, List<String>>> indexes = new HashMap<>();

    private SourceTable table(String name, List<String> key, List<String> indexed, TableRule rule, long limit,
                              Reference... references) {
        List<Column> columns = Arrays.stream(("id,customer_id,referrer_id,order_id,line,sku,variant,title").split(","))
                .map(c -> new Column(c, Column.Kind.NUMBER, false)).toList();
        SourceTable table = new SourceTable(name(name), columns, key, List.of(references), rule, limit);
        tables.put(table.name, table);
        indexes.put(table, indexed == null ? Map.of(name + "_pkey", key) : Map.of(name + "_pkey", key, name + "_idx", indexed));
        return table;
    }

    private static TableName name(String table) {
        return new TableName(null, "public", table);
    }

    private static Reference fk(String name, String parent, String... columns) {
        List<String> child = List.of(columns);
        List<String> parentColumns = parent.equals("products") ? List.of("sku", "variant") : List.of("id");
        return new Reference(name, child, name(parent), parentColumns);
    }

    private static TableRule via(String... entries) {
        return new TableRule(null, null, null, null, Arrays.stream(entries).map(e -> new Via(e, 7)).toList());
    }

    private ClosurePlan shop(TableRule items, long itemsLimit, TableRule customers, long customersLimit) {
        table("customers", List.of("id"), List.of("id"), customers, customersLimit,
                fk("customers_referrer_fkey", "customers", "referrer_id"));
        table("orders", List.of("id"), List.of("customer_id"), new TableRule(2.0, null, null, null, null), 0,
                fk("orders_customer_fkey", "customers", "customer_id"));
        table("products", List.of("sku", "variant"), null, null, 0);
        table("order_items", List.of("order_id", "line"), null, items, itemsLimit,
                fk("order_items_order_fkey", "orders", "order_id"),
                fk("order_items_product_fkey", "products", "sku", "variant"));
        return new ClosurePlan(CONFIG, tables, indexes, Map.of());
    }

    private Edge edge(ClosurePlan plan, String name) {
        return plan.edges().stream().filter(e -> e.reference().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void viaFollowsOnlyTheForeignKeysItNamesByConstraintOrColumns() {
        ClosurePlan plan = shop(via("ORDER_ID"), Long.MAX_VALUE, null, 0);
        assertThat(plan.followed(edge(plan, "order_items_order_fkey"))).isTrue();
        assertThat(plan.followed(edge(plan, "order_items_product_fkey"))).isFalse();
        assertThat(plan.followed(edge(plan, "orders_customer_fkey"))).isFalse();

        tables.clear();
        plan = shop(via("order_items_product_fkey", "(variant, sku)"), 50, null, 0);
        assertThat(plan.followed(edge(plan, "order_items_product_fkey"))).isTrue();
        assertThat(plan.followed(edge(plan, "order_items_order_fkey"))).isFalse();

        // Without via, every foreign key, as long as the limit is above 0.
        tables.clear();
        plan = shop(null, 10, null, 0);
        assertThat(plan.followed(edge(plan, "order_items_order_fkey"))).isTrue();
        assertThat(plan.followed(edge(plan, "order_items_product_fkey"))).isTrue();
        assertThat(plan.followed(edge(plan, "customers_referrer_fkey"))).isFalse();
    }

    @Test
    void aLookupUsesAnIndexWhoseLeadingColumnsAreItsColumnsElseOneScan() {
        ClosurePlan plan = shop(null, 10, null, 0);
        SourceTable items = tables.get(name("order_items"));
        assertThat(plan.index(items, List.of("order_id"))).isEqualTo("order_items_pkey");
        assertThat(plan.index(items, List.of("sku", "variant"))).isNull();
        assertThat(plan.strategy(items, List.of("sku", "variant")))
                .isEqualTo("one scan per round with a hash join (no index on order_items(sku, variant))");
        assertThat(plan.index(items, List.of("line"))).isNull();
        assertThat(plan.index(tables.get(name("orders")), List.of("customer_id"))).isEqualTo("orders_idx");
    }

    @Test
    void aViaThatNamesNoForeignKeyIsRefusedWithFileLinePathAndTheKeysThereAre() {
        assertThatThrownBy(() -> shop(via("order_id", "sku"), Long.MAX_VALUE, null, 0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(CONFIG + ":7: $.tables.order_items.via[1]: \"sku\" names no foreign key of order_items")
                .satisfies(e -> assertThat(((ConfigurationException) e).fix()).isEqualTo("name one by its constraint or "
                        + "its referencing columns, e.g. \"order_id\"; the foreign keys of order_items are "
                        + "order_items_order_fkey (order_id) -> orders(id), order_items_product_fkey (sku, variant) -> "
                        + "products(sku, variant)"));
    }

    @Test
    void foreignKeysFollowedWithoutALimitAroundACycleAreRefused() {
        // Items of sampled orders and of sampled products: products bring items, items bring orders, orders items …
        assertThatThrownBy(() -> shop(via("order_id", "sku, variant"), Long.MAX_VALUE, null, 0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(CONFIG + ":7: $.tables.order_items.via[")
                .hasMessageContaining("followed without a limit cannot close")
                .satisfies(e -> assertThat(((ConfigurationException) e).fix())
                        .contains("set $.tables.order_items.referencing to the most rows"));
        // Every customer referred by a sampled one, and so on down the referral tree.
        tables.clear();
        assertThatThrownBy(() -> shop(null, 0, via("referrer_id"), Long.MAX_VALUE))
                .hasMessageContaining("$.tables.customers.via[0]: customers(referrer_id) -> customers(id) followed "
                        + "without a limit cannot close");
        // A limit closes either; so does following only the items of sampled orders.
        tables.clear();
        shop(via("order_id", "sku, variant"), 1000, via("referrer_id"), 1000);
        tables.clear();
        shop(via("order_id"), Long.MAX_VALUE, null, 0);
    }

    @Test
    void theEstimateFollowsTheEdgesAndStaysWithinTheTablesAndLimits() {
        ClosurePlan plan = shop(via("order_id"), Long.MAX_VALUE, null, 0);
        Map<SourceTable, Double> rows = Map.of(tables.get(name("customers")), 100_000.0, tables.get(name("orders")),
                1_000_000.0, tables.get(name("products")), 1_000.0, tables.get(name("order_items")), 3_000_000.0);
        Map<SourceTable, Estimate> estimates = plan.estimate(rows, Map.of(tables.get(name("orders")), 20_000.0),
                Map.of(), Map.of());
        // The items of 20,000 orders: 3 each; their products: nearly all 1,000 of them.
        assertThat(estimates.get(tables.get(name("order_items"))).referencing()).isCloseTo(60_000, within(1.0));
        assertThat(estimates.get(tables.get(name("products"))).referenced()).isBetween(990.0, 1_000.0);
        // 20,000 orders of 10 each from 100,000 customers hit about 18 % of them; their referrers add more.
        assertThat(estimates.get(tables.get(name("customers"))).referenced()).isBetween(18_000.0, 100_000.0);
        assertThat(estimates.get(tables.get(name("orders"))).total()).isCloseTo(20_000, within(1.0));
    }

    @Test
    void thePlanSaysFromHowManyKeysALookupByAUniqueIndexScansTheTableInstead() {
        ClosurePlan plan = shop(via("order_id", "sku, variant"), 1000, null, 0);
        Map<SourceTable, Double> rows = Map.of(tables.get(name("customers")), 100_000.0, tables.get(name("orders")),
                1_000_000.0, tables.get(name("products")), 1_000.0, tables.get(name("order_items")), 3_000_000.0);
        // One scan once the keys are 5 % of the table's rows; a table without statistics is always probed by index.
        assertThat(plan.describe(rows, Map.of())).contains("    rows referenced by sampled order_items(order_id): index "
                + "orders_pkey, or one scan in a round that looks up more than 50,000 keys");
        assertThat(plan.describe(Map.of(), Map.of())).contains("    rows referenced by sampled order_items(order_id): "
                + "index orders_pkey");
    }

    @Test
    void anIndexedForeignKeysManyKeysJoinTheScanItsTableGetsAnyway() {
        ClosurePlan plan = shop(via("order_id", "sku, variant"), 1000, null, 0);
        Map<SourceTable, Double> rows = Map.of(tables.get(name("customers")), 100_000.0, tables.get(name("orders")),
                1_000_000.0, tables.get(name("products")), 1_000.0, tables.get(name("order_items")), 3_000_000.0);
        List<String> lines = plan.describe(rows, Map.of());
        // An indexed foreign key's keys join the scan its table gets anyway once they are 0.2 % of its rows.
        assertThat(lines).contains("    rows referencing sampled orders along order_items(order_id) -> orders(id), up to "
                + "1,000 in all: index order_items_pkey, or in the scan of those without an index in a round that looks "
                + "up more than 6,000 keys", "    rows referencing sampled products along order_items(sku, variant) -> "
                + "products(sku, variant), up to 1,000 in all: one scan per round with a hash join (no index on "
                + "order_items(sku, variant))");
    }
}
