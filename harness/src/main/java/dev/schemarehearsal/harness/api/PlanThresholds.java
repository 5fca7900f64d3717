package dev.schemarehearsal.harness.api;

/**
 * When a query's plan counts as worse (or better) after the migrations.
 *
 * @param maxCostRatio   the planner's cost may grow by this factor before the plan regressed; a fall by the same
 *                       factor is an improvement
 * @param largeTableRows a table of at least this many rows (the planner's count) read in full where an index served
 *                       before is a regression
 * @param maxReadGrowth  the estimated rows read, and when analyzed the pages read, may grow by this factor before the
 *                       plan regressed
 */
public record PlanThresholds(double maxCostRatio, long largeTableRows, double maxReadGrowth) {
    public static final PlanThresholds DEFAULT = new PlanThresholds(2.0, 10_000, 4.0);
}
