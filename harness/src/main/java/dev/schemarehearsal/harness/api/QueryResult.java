package dev.schemarehearsal.harness.api;

import java.util.List;

/**
 * One query of {@code queries.sql}, planned before and after the pending migrations.
 *
 * @param before    the plan on the baseline schema
 * @param after     the plan once the pending migrations ran, or {@code null} when planning it failed
 * @param change    how the plan changed
 * @param changes   what changed, one sentence each, the worst first; empty when nothing did
 * @param migration the version of the migration after which the plan first changed this way, when it can be told,
 *                  else {@code null}
 * @param error     the engine's error when the query failed after the migrations, else {@code null}
 * @param asInProduction whether the plan before has production's shape (production's plans file), {@code null}
 *                  without a production plan; when {@code false} the verdict is uncertain
 */
public record QueryResult(String name, Plan before, Plan after, Change change, List<String> changes,
                          String migration, String error, Boolean asInProduction) {

    public QueryResult {
        changes = List.copyOf(changes);
    }

    /**
     * A query's plan.
     *
     * @param plan        the plan tree
     * @param cost        the planner's cost of the whole query, or {@code null} where the engine gives none
     * @param executionMs when analyzed: the execution time of the median run, else {@code null}
     * @param pages       when analyzed: the pages the median run read, from the cache or the disk (PostgreSQL's
     *                    shared blocks hit and read, MariaDB's pages accessed), else {@code null}
     */
    public record Plan(PlanNode plan, Double cost, Double executionMs, Double pages) { }

    /** How a query's plan changed, from the best news to the worst. */
    public enum Change { UNCHANGED, IMPROVED, CHANGED, REGRESSED, FAILED }
}
