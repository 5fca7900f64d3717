package dev.schemarehearsal.harness.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One node of a query plan, the same model for every engine. Fields an engine's plan doesn't give are {@code null}.
 *
 * @param nodeType      what the node does, in the engine's words where it has a node type (PostgreSQL: {@code Seq Scan},
 *                      {@code Hash Join}, {@code HashAggregate}), else described from the access type
 *                      (MySQL/MariaDB: {@code Full scan}, {@code Index lookup}, {@code Sort}, {@code Nested loop})
 * @param relation      the table (or its alias where the engine only gives that, as MySQL and MariaDB do) it reads
 * @param index         the index it reads
 * @param joinType      PostgreSQL: the join's type ({@code Inner}, {@code Left}, {@code Semi}, {@code Anti});
 *                      MySQL/MariaDB: the table's access type ({@code ALL}, {@code ref}, {@code range}, …), which
 *                      their manuals call the join type
 * @param fullScan      whether it reads every row of {@code relation}
 * @param condition     its filter, index and join conditions as the engine prints them, {@code ; }-separated
 * @param estimatedRows the planner's rows: PostgreSQL's rows out of one execution, MySQL's and MariaDB's rows
 *                      examined per scan
 * @param cost          the planner's cost, in the engine's own units (PostgreSQL's total cost; MySQL's
 *                      read + eval cost; MariaDB 11's cost); {@code null} where the engine gives none (MariaDB 10)
 * @param actualRows    when analyzed: the rows it produced over all its executions
 * @param actualMs      when analyzed: the time it took over all its executions, in milliseconds
 * @param children      the nodes it reads from, in the engine's order
 */
public record PlanNode(String nodeType, String relation, String index, String joinType, boolean fullScan,
                       String condition, Double estimatedRows, Double cost, Double actualRows, Double actualMs,
                       List<PlanNode> children) {

    public PlanNode {
        children = List.copyOf(children);
    }

    /** This node and every node below it, depth first, parents before children. */
    public List<PlanNode> flatten() {
        List<PlanNode> nodes = new ArrayList<>();
        visit(nodes::add);
        return nodes;
    }

    private void visit(Consumer<PlanNode> visitor) {
        visitor.accept(this);
        children.forEach(child -> child.visit(visitor));
    }
}
