package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.QueryResult.Plan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The plan parsers on the documents under src/test/resources/plans: recordings of PostgreSQL 14 to 18 and MariaDB
 * 10.11 (PlanRecorder), and MySQL 8.0/8.4 and MariaDB 11.4 documents written after their manuals (see the README
 * there).
 */
class PlanParsersTest {
    private static final Path PLANS = Path.of("src/test/resources/plans");

    private static String document(String engine, String name) {
        try {
            return Files.readString(PLANS.resolve(engine).resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Plan postgres(String major, String name) {
        return PostgresPlans.parse(document("postgresql-" + major, name));
    }

    private static List<PlanNode> nodes(Plan plan) {
        return plan.plan().flatten();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"14", "15", "16", "17", "18"})
    void postgresNestedLoop(String major) {
        Plan plan = postgres(major, "nested-loop.json");
        PlanNode root = plan.plan();
        assertThat(root.nodeType()).isEqualTo("Nested Loop");
        assertThat(root.joinType()).isEqualTo("Inner");
        assertThat(plan.cost()).isEqualTo(root.cost()).isPositive();
        assertThat(plan.executionMs()).isNull();
        assertThat(nodes(plan)).extracting(PlanNode::nodeType, PlanNode::relation, PlanNode::index, PlanNode::fullScan)
                .containsExactly(tuple("Nested Loop", null, null, false),
                        tuple("Index Scan", "customers", "customers_pkey", false),
                        tuple("Bitmap Heap Scan", "orders", null, false),
                        tuple("Bitmap Index Scan", null, "orders_customer_id_idx", false));
        assertThat(nodes(plan).get(1).condition()).isEqualTo("Index Cond: (id = 42)");
        assertThat(nodes(plan).get(2).condition()).isEqualTo("Recheck Cond: (customer_id = 42)");
        assertThat(nodes(plan)).allSatisfy(node -> assertThat(node.actualRows()).isNull());
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"14", "15", "16", "17", "18"})
    void postgresAnalyzedPlansCarryActualRowsOverAllLoops(String major) {
        Plan plan = postgres(major, "nested-loop.analyze.json");
        assertThat(plan.executionMs()).isPositive();
        // BUFFERS: the root's shared blocks hit and read count every page the query touched.
        assertThat(plan.pages()).isPositive();
        assertThat(postgres(major, "nested-loop.json").pages()).isNull();
        // Customer 42 has 10 of the 200,000 orders (customer_id = 1 + n % 20000).
        assertThat(plan.plan().actualRows()).isEqualTo(10.0);
        assertThat(plan.plan().actualMs()).isPositive();
        assertThat(nodes(plan).get(3).actualRows()).isEqualTo(10.0);

        // The subplan runs once per customer of the 124 in DE below id 500: its rows add up over the loops.
        Plan subplan = postgres(major, "subplan.analyze.json");
        PlanNode aggregate = nodes(subplan).stream().filter(n -> n.nodeType().equals("Aggregate")).findFirst().orElseThrow();
        assertThat(aggregate.actualRows()).isEqualTo(124.0);
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"14", "15", "16", "17", "18"})
    void postgresCtesSubplansAndInitPlans(String major) {
        List<PlanNode> cte = nodes(postgres(major, "cte.json"));
        assertThat(cte).extracting(PlanNode::nodeType).contains("Limit", "Sort", "Hash Join", "CTE Scan", "Hash");
        // Versions differ in how they read orders for the CTE (a sequential or an index scan), not in the rest.
        assertThat(cte).filteredOn(PlanNode::fullScan).extracting(PlanNode::relation).contains("customers");
        assertThat(cte).extracting(PlanNode::relation).contains("orders");
        assertThat(cte).filteredOn(n -> n.nodeType().endsWith("Aggregate")).singleElement()
                .satisfies(n -> assertThat(n.nodeType()).isIn("HashAggregate", "GroupAggregate"));
        assertThat(cte).filteredOn(n -> n.nodeType().equals("Hash Join")).singleElement()
                .satisfies(n -> assertThat(n.condition()).startsWith("Hash Cond: "));

        List<PlanNode> subplan = nodes(postgres(major, "subplan.json"));
        assertThat(subplan.get(0)).extracting(PlanNode::nodeType, PlanNode::relation, PlanNode::index)
                .containsExactly("Index Scan", "customers", "customers_pkey");
        assertThat(subplan.get(0).condition()).isEqualTo("Index Cond: (id < 500); Filter: (country = 'DE'::text)");
        assertThat(subplan).extracting(PlanNode::index).contains("orders_customer_id_idx");

        List<PlanNode> initplan = nodes(postgres(major, "initplan.json"));
        assertThat(initplan).extracting(PlanNode::nodeType).startsWith("Limit").contains("Aggregate", "Seq Scan", "Index Scan");
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"14", "15", "16", "17", "18"})
    void postgresParallelAndPartitionedPlans(String major) {
        List<PlanNode> parallel = nodes(postgres(major, "parallel.json"));
        assertThat(parallel).extracting(PlanNode::nodeType).contains("Gather Merge", "Parallel Seq Scan")
                .anyMatch(type -> type.startsWith("Finalize ")).anyMatch(type -> type.startsWith("Partial "));
        assertThat(parallel).filteredOn(PlanNode::fullScan).extracting(PlanNode::nodeType, PlanNode::relation)
                .containsExactly(tuple("Parallel Seq Scan", "orders"));
        Plan analyzed = postgres(major, "parallel.analyze.json");
        assertThat(analyzed.plan().actualRows()).isEqualTo(3.0);

        List<PlanNode> partitioned = nodes(postgres(major, "partitioned.json"));
        PlanNode append = partitioned.stream().filter(n -> n.nodeType().equals("Append")).findFirst().orElseThrow();
        assertThat(append.children()).extracting(PlanNode::relation).containsExactly("events_2024", "events_2025");
        assertThat(partitioned).extracting(PlanNode::index).contains("events_2024_at_idx", "events_2025_at_idx");
    }

    @Test
    void mariadb1011Plans() {
        Plan nested = MySqlPlans.parse(document("mariadb-10.11", "nested-loop.json"));
        // MariaDB 10 gives no costs in EXPLAIN FORMAT=JSON.
        assertThat(nested.cost()).isNull();
        assertThat(nodes(nested)).extracting(PlanNode::nodeType, PlanNode::relation, PlanNode::index, PlanNode::joinType,
                PlanNode::estimatedRows).containsExactly(tuple("Query block", null, null, null, null),
                tuple("Nested loop", null, null, null, null),
                tuple("Single-row lookup", "c", "PRIMARY", "const", 1.0),
                tuple("Index lookup", "o", "orders_customer_id_idx", "ref", 10.0));

        List<PlanNode> hashJoin = nodes(MySqlPlans.parse(document("mariadb-10.11", "hash-join.json")));
        assertThat(hashJoin).extracting(PlanNode::nodeType)
                .containsExactly("Query block", "Sort", "Temporary table", "Nested loop", "Full scan", "Index lookup");
        assertThat(hashJoin.get(4).fullScan()).isTrue();
        assertThat(hashJoin.get(5).condition()).isEqualTo("Condition: o.`status` = 'pending'");

        List<PlanNode> cte = nodes(MySqlPlans.parse(document("mariadb-10.11", "cte.json")));
        assertThat(cte).extracting(PlanNode::relation).contains("c", "<derived2>", "orders");
        assertThat(cte).filteredOn(n -> n.nodeType().equals("Query block")).hasSize(2);

        List<PlanNode> initplan = nodes(MySqlPlans.parse(document("mariadb-10.11", "initplan.json")));
        assertThat(initplan).filteredOn(n -> n.nodeType().equals("Query block")).hasSize(2);
        assertThat(initplan).filteredOn(PlanNode::fullScan).extracting(PlanNode::relation).containsExactly("orders");

        PlanNode partitioned = MySqlPlans.parse(document("mariadb-10.11", "partitioned.json")).plan().flatten().get(3);
        assertThat(partitioned).extracting(PlanNode::nodeType, PlanNode::relation, PlanNode::index)
                .containsExactly("Index range scan", "events", "events_at_idx");
    }

    @Test
    void mariadb1011AnalyzedPlans() {
        Plan subplan = MySqlPlans.parse(document("mariadb-10.11", "subplan.analyze.json"));
        assertThat(subplan.executionMs()).isPositive();
        // The pages accessed by every table, the subquery's included: 3 + 2729.
        assertThat(subplan.pages()).isEqualTo(2732.0);
        List<PlanNode> nodes = nodes(subplan);
        // The dependent subquery sits behind MariaDB's expression cache and still counts.
        PlanNode inner = nodes.stream().filter(n -> "o".equals(n.relation())).findFirst().orElseThrow();
        assertThat(inner.index()).isEqualTo("orders_customer_id_idx");
        // 124 lookups of 10 orders each (r_rows is per loop).
        assertThat(inner.actualRows()).isEqualTo(1240.0);
        assertThat(inner.actualMs()).isPositive();
        PlanNode customers = nodes.stream().filter(n -> "c".equals(n.relation())).findFirst().orElseThrow();
        assertThat(customers.actualRows()).isEqualTo(499.0);
    }

    @Test
    void mysql8Plans() {
        Plan nested = MySqlPlans.parse(document("mysql-8.0", "nested-loop.json"));
        assertThat(nested.cost()).isEqualTo(4.51);
        assertThat(nodes(nested)).extracting(PlanNode::nodeType, PlanNode::relation, PlanNode::index, PlanNode::estimatedRows,
                PlanNode::cost).containsExactly(tuple("Query block", null, null, null, 4.51),
                tuple("Nested loop", null, null, null, null),
                tuple("Single-row lookup", "c", "PRIMARY", 1.0, 0.1),
                tuple("Index lookup", "o", "orders_customer_id_idx", 10.0, 4.51));

        List<PlanNode> hashJoin = nodes(MySqlPlans.parse(document("mysql-8.0", "hash-join.json")));
        assertThat(hashJoin).extracting(PlanNode::nodeType)
                .containsExactly("Query block", "Temporary table", "Nested loop", "Full scan", "Hash join", "Full scan");
        assertThat(hashJoin).filteredOn(PlanNode::fullScan).extracting(PlanNode::relation).containsExactly("c", "o");

        List<PlanNode> subquery = nodes(MySqlPlans.parse(document("mysql-8.0", "subquery.json")));
        assertThat(subquery).extracting(PlanNode::nodeType)
                .containsExactly("Query block", "Index scan", "Query block", "Full scan");
        assertThat(subquery.get(2).cost()).isEqualTo(20181.45);

        List<PlanNode> derived = nodes(MySqlPlans.parse(document("mysql-8.0", "derived.json")));
        assertThat(derived).extracting(PlanNode::nodeType).containsExactly("Query block", "Sort", "Nested loop",
                "Full scan", "Query block", "Index scan", "Index lookup");

        assertThat(MySqlPlans.analyzedMs(document("mysql-8.0", "nested-loop.analyze.txt"))).isEqualTo(0.0723);

        List<PlanNode> partitioned = nodes(MySqlPlans.parse(document("mysql-8.4", "partitioned.json")));
        assertThat(partitioned.get(2)).extracting(PlanNode::nodeType, PlanNode::index, PlanNode::condition)
                .containsExactly("Index range scan", "events_at_idx",
                        "Index condition: ((`shop`.`events`.`at` >= DATE'2024-12-01') and (`shop`.`events`.`at` < DATE'2025-02-01'))");
        List<PlanNode> union = nodes(MySqlPlans.parse(document("mysql-8.4", "union.json")));
        assertThat(union).extracting(PlanNode::nodeType)
                .containsExactly("Query block", "Union", "Query block", "Full scan", "Query block", "Index lookup");
    }

    @Test
    void mariadb11Plans() {
        Plan nested = MySqlPlans.parse(document("mariadb-11.4", "nested-loop.json"));
        assertThat(nested.cost()).isEqualTo(0.01462622);
        assertThat(nodes(nested).get(3).cost()).isEqualTo(0.01362622);

        List<PlanNode> hashJoin = nodes(MySqlPlans.parse(document("mariadb-11.4", "hash-join.json")));
        assertThat(hashJoin).extracting(PlanNode::nodeType).containsExactly("Query block", "Sort", "Temporary table",
                "Nested loop", "Full scan", "Hash join", "Full scan");
        // The hash table is no index.
        assertThat(hashJoin.get(6)).extracting(PlanNode::relation, PlanNode::index, PlanNode::fullScan)
                .containsExactly("o", null, true);
        assertThat(hashJoin.get(5).condition()).isEqualTo("Condition: o.`status` = 'pending'");
    }
}
