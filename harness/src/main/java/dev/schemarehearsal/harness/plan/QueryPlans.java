package dev.schemarehearsal.harness.plan;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.PlanThresholds;
import dev.schemarehearsal.harness.api.Query;
import dev.schemarehearsal.harness.api.QueryResult;
import dev.schemarehearsal.harness.api.QueryResult.Change;
import dev.schemarehearsal.harness.api.QueryResult.Plan;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.SqlText;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The plans of the workload's queries: before the pending migrations, after each one (only the queries naming a
 * table, or reading an index, its script names, and EXPLAIN only, so it costs milliseconds), and after all of them; then each query's
 * classification and findings. The plans after each migration say which migration changed a plan.
 *
 * <pre>{@code
 * QueryPlans plans = new QueryPlans(dialect, queries, analyze, thresholds, listener, productionPlans);
 * QueryPlans.Before before = plans.before(connection);          // plans-before
 * before = plans.unpadded(connection, before);                  // when the tables' storage padding was removed
 * QueryPlans.Replanning replanning = plans.replanning(before);
 * replanning.afterMigration(migrationConnection, "5", "V5__x.sql", scriptText);   // for each migration
 * QueryPlans.Outcome outcome = plans.after(connection, before, replanning.replanned(), false);   // plans-after
 * }</pre>
 */
public final class QueryPlans {
    /** Analyzed queries run this many times; the median run by execution time is kept. */
    static final int ANALYZE_RUNS = 3;
    private static final String UNCERTAIN = " The shadow planned it differently from production before the migrations "
            + "(production's plans file), so this verdict is uncertain and a warning, not an error; a larger sample or "
            + "statistics taken closer to production make it certain.";

    private final Dialect dialect;
    private final List<Query> queries;
    private final boolean analyze;
    private final PlanDiff diff;
    private final RehearsalListener listener;
    private final Map<String, PlanNode> production;

    /**
     * The plans before the migrations.
     *
     * @param plans    by query name
     * @param touches  the tables each query names and the indexes its plan reads, by query name
     * @param unpadded the plans on the tables without their storage padding, as the migrations run; empty without
     *                 padding
     */
    public record Before(Map<String, Plan> plans, Map<String, Set<String>> touches, Map<String, Plan> unpadded) {
        public Before {
            plans = Map.copyOf(plans);
            touches = Map.copyOf(touches);
            unpadded = Map.copyOf(unpadded);
        }
    }

    /** A query's plan, or its error, after one migration. */
    public record Step(String migration, Plan plan, String error) { }

    /**
     * The plans taken after each migration.
     *
     * @param steps     the plans taken after each migration that touched a query's tables or indexes, in order, by
     *                  query name
     * @param touchedBy the migrations, in order, whose scripts name a query's tables or indexes (all, for unreadable
     *                  scripts), by query name
     * @param labels    each migration's script, by version (a repeatable migration's by script)
     */
    public record Replanned(Map<String, List<Step>> steps, Map<String, List<String>> touchedBy,
                            Map<String, String> labels) {
        public Replanned {
            steps = Map.copyOf(steps);
            touchedBy = Map.copyOf(touchedBy);
            labels = Map.copyOf(labels);
        }
    }

    /** What the plans after the migrations showed. */
    public record Outcome(List<QueryResult> queries, List<Finding> findings) { }

    /**
     * @param production production's plans, or {@code null}: a query whose plan before doesn't have production's
     *                   shape gets an uncertain verdict, and its regression is a warning, not an error
     */
    public QueryPlans(Dialect dialect, List<Query> queries, boolean analyze, PlanThresholds thresholds,
                      RehearsalListener listener, ProductionPlans production) {
        this.production = production == null ? Map.of() : production.queries();
        this.dialect = dialect;
        this.queries = List.copyOf(queries);
        this.analyze = analyze;
        this.diff = new PlanDiff(thresholds);
        this.listener = listener;
    }

    /**
     * EXPLAINs every query on the baseline schema before any data is loaded, so that a query the schema refuses (a
     * misspelt column, a table production doesn't have) stops the rehearsal in seconds, not after the load.
     *
     * @throws ConfigurationException naming the query's file and line when the engine refuses it
     */
    public void check(Connection connection) throws SQLException {
        for (Query query : queries) {
            try {
                undone(connection, () -> dialect.explain(connection, query.sql(), false));
            } catch (SQLException e) {
                throw refused(query, e);
            }
        }
    }

    private static ConfigurationException refused(Query query, SQLException e) {
        return new ConfigurationException("queries", query.location() + ": query '" + query.name()
                + "' fails on the baseline schema: " + message(e),
                "correct the query; the queries are planned on production's schema (the baseline) first");
    }

    /**
     * Plans every query on the baseline schema.
     *
     * @throws ConfigurationException naming the query's file and line when the engine refuses it
     */
    public Before before(Connection connection) throws SQLException {
        Map<String, Plan> plans = new HashMap<>();
        Map<String, Set<String>> touches = new HashMap<>();
        List<String> userTables = userTables(connection);
        for (Query query : queries) {
            Set<String> names = userTables.stream().filter(t -> SqlText.names(query.sql(), t))
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            try {
                Plan plan = plan(connection, query, analyze ? ANALYZE_RUNS : 0);
                plans.put(query.name(), plan);
                plan.plan().flatten().stream().map(PlanNode::index).filter(Objects::nonNull)
                        .forEach(index -> names.add(index.toLowerCase(Locale.ROOT)));
                touches.put(query.name(), names);
            } catch (SQLException e) {
                throw refused(query, e);
            }
        }
        listener.info("Plans before: " + queries.size() + " quer" + (queries.size() == 1 ? "y" : "ies")
                + (analyze ? ", each analyzed " + ANALYZE_RUNS + " times" : ""));
        return new Before(plans, touches, Map.of());
    }

    /**
     * Plans the queries again once the tables' storage padding is removed for the migrations: the plans taken after
     * each migration, on the same sizes, compare with these to say which migration changed a plan.
     */
    public Before unpadded(Connection connection, Before before) throws SQLException {
        Map<String, Plan> unpadded = new HashMap<>();
        for (Query query : queries) {
            if (before.plans().containsKey(query.name())) {
                unpadded.put(query.name(), plan(connection, query, analyze ? 1 : 0));
            }
        }
        return new Before(before.plans(), before.touches(), unpadded);
    }

    /** Takes the plans after each migration, while the migrations run. */
    public Replanning replanning(Before before) {
        return new Replanning(before);
    }

    /** Re-plans queries after each migration; {@link #replanned()} is what it took. */
    public final class Replanning {
        private final Before before;
        private final Map<String, List<Step>> steps = new HashMap<>();
        private final Map<String, List<String>> touchedBy = new HashMap<>();
        private final Map<String, String> labels = new LinkedHashMap<>();

        private Replanning(Before before) {
            this.before = before;
        }

        /**
         * Re-plans the queries naming a table the migration's script names, or reading an index it names, once the
         * migration's transaction ended. The session may be in the next migration's transaction: each EXPLAIN is rolled
         * back to a savepoint, so it can neither write nor abort that transaction.
         *
         * @param version the migration's version, or {@code null} for a repeatable one
         * @param script  the script's name, for messages
         * @param text    the script's text, or {@code null} when it has none to read (Java migrations): every query is
         *                re-planned then
         */
        public void afterMigration(Connection connection, String version, String script, String text) {
            String id = version == null ? script : version;
            labels.put(id, script);
            for (Query query : queries) {
                if (!before.plans().containsKey(query.name())
                        || text != null && before.touches().get(query.name()).stream()
                                .noneMatch(t -> SqlText.names(text, t))) {
                    continue;
                }
                touchedBy.computeIfAbsent(query.name(), k -> new ArrayList<>()).add(id);
                Step step;
                try {
                    step = new Step(id, plan(connection, query, analyze ? 1 : 0), null);
                } catch (SQLException e) {
                    step = new Step(id, null, message(e));
                }
                steps.computeIfAbsent(query.name(), k -> new ArrayList<>()).add(step);
            }
        }

        /** The plans taken so far. */
        public Replanned replanned() {
            return new Replanned(copies(steps), copies(touchedBy), labels);
        }

        private static <T> Map<String, List<T>> copies(Map<String, List<T>> lists) {
            Map<String, List<T>> copies = new HashMap<>();
            lists.forEach((key, list) -> copies.put(key, List.copyOf(list)));
            return copies;
        }
    }

    /**
     * Plans every query after the migrations, compares each with its plan before and makes the findings.
     *
     * @param compareUnpadded whether to compare with the unpadded plans before, as the tables could not be padded
     *                        again
     */
    public Outcome after(Connection connection, Before before, Replanned replanned, boolean compareUnpadded)
            throws SQLException {
        List<QueryResult> results = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        Map<String, Plan> compared = compareUnpadded && !before.unpadded().isEmpty() ? before.unpadded() : before.plans();
        for (Query query : queries) {
            Plan was = compared.get(query.name());
            Plan now;
            try {
                now = plan(connection, query, analyze ? ANALYZE_RUNS : 0);
            } catch (SQLException e) {
                String migration = replanned.steps().getOrDefault(query.name(), List.of()).stream()
                        .filter(s -> s.error != null).map(Step::migration).findFirst().orElse(null);
                results.add(new QueryResult(query.name(), was, null, Change.FAILED, List.of(), migration, message(e),
                        asInProduction(query, before.plans().get(query.name()))));
                findings.add(new Finding(Rule.PLAN_REGRESSION, Severity.ERROR, migration, null, null, query.name(),
                        "Query " + query.name() + " fails" + (migration == null ? " after the migrations"
                                : after(migration, replanned)) + ": " + message(e)
                                + ". Fix the query in " + query.location() + " or the migration: production's "
                                + "application would fail the same way."));
                continue;
            }
            Map<String, Long> rows = tableRows(connection, was, now);
            PlanDiff.Result result = diff.compare(was, now, rows);
            String migration = result.change() == Change.UNCHANGED ? null
                    : attribute(query, result.change(), rows, before, replanned);
            Boolean asInProduction = asInProduction(query, before.plans().get(query.name()));
            results.add(new QueryResult(query.name(), was, now, result.change(), result.changes(), migration, null,
                    asInProduction));
            boolean uncertain = Boolean.FALSE.equals(asInProduction);
            if (result.change() == Change.REGRESSED) {
                findings.add(new Finding(Rule.PLAN_REGRESSION, uncertain ? Severity.WARNING
                        : Rule.PLAN_REGRESSION.defaultSeverity(), migration, null, null, query.name(),
                        (uncertain ? "Uncertain: " : "") + "Query " + query.name() + "'s plan got worse"
                                + after(migration, replanned) + ": " + String.join("; ", result.changes()) + "."
                                + (uncertain ? UNCERTAIN : "")));
            } else if (result.change() != Change.UNCHANGED) {
                findings.add(new Finding(Rule.PLAN_CHANGED, Rule.PLAN_CHANGED.defaultSeverity(), migration, null, null,
                        query.name(), "Query " + query.name() + "'s plan " + (result.change() == Change.IMPROVED
                        ? "got better" : "changed") + after(migration, replanned) + ": "
                        + String.join("; ", result.changes()) + "." + (uncertain ? UNCERTAIN : "")));
            }
        }
        listener.info("Plans after: " + results.stream().collect(Collectors.groupingBy(
                r -> r.change().name().toLowerCase(Locale.ROOT), TreeMap::new, Collectors.counting())));
        return new Outcome(results, findings);
    }

    /** Whether the query's plan before has production's shape; {@code null} without a production plan. */
    private Boolean asInProduction(Query query, Plan before) {
        PlanNode plan = production.get(query.name());
        return plan == null ? null : PlanShape.of(before.plan()).equals(PlanShape.of(plan));
    }

    /**
     * The migration after which the query's plan first compared with its plan before as it does in the end; else
     * (the plans after each migration are of unpadded tables, which may plan otherwise) the first after which it
     * changed at all; else, when only one migration touched its tables, that one.
     */
    private String attribute(Query query, Change change, Map<String, Long> rows, Before before, Replanned replanned) {
        Plan was = before.unpadded().getOrDefault(query.name(), before.plans().get(query.name()));
        List<Step> taken = replanned.steps().getOrDefault(query.name(), List.of());
        for (Step step : taken) {
            if (step.plan != null && diff.compare(was, step.plan, rows).change() == change) {
                return step.migration;
            }
        }
        for (Step step : before.unpadded().isEmpty() ? List.<Step>of() : taken) {
            if (step.plan != null && diff.compare(was, step.plan, rows).change() != Change.UNCHANGED) {
                return step.migration;
            }
        }
        List<String> touching = replanned.touchedBy().getOrDefault(query.name(), List.of());
        return touching.size() == 1 ? touching.get(0) : null;
    }

    private static String after(String migration, Replanned replanned) {
        return migration == null ? "" : " after migration " + migration + " (" + replanned.labels().get(migration) + ")";
    }

    /**
     * One plan: EXPLAIN when {@code runs} is 0, else the median of that many analyzed runs by execution time. Each
     * EXPLAIN is undone, as a query of the workload may write and a failing one must not abort an open transaction.
     */
    private Plan plan(Connection connection, Query query, int runs) throws SQLException {
        if (runs == 0) {
            return undone(connection, () -> dialect.explain(connection, query.sql(), false));
        }
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            plans.add(undone(connection, () -> dialect.explain(connection, query.sql(), true)));
        }
        plans.sort(Comparator.comparing(p -> p.executionMs() == null ? 0 : p.executionMs()));
        return plans.get(plans.size() / 2);
    }

    private interface Explain {
        Plan run() throws SQLException;
    }

    /**
     * Runs the EXPLAIN and undoes whatever it did: back to a savepoint inside an open transaction (a migration's),
     * else in a transaction of its own that is rolled back.
     */
    private static Plan undone(Connection connection, Explain explain) throws SQLException {
        if (!connection.getAutoCommit()) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                return explain.run();
            } finally {
                connection.rollback(savepoint);
            }
        }
        connection.setAutoCommit(false);
        try {
            return explain.run();
        } finally {
            try {
                connection.rollback();
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** The planner's rows of the tables either plan reads in full, where the engine names tables in plans. */
    private Map<String, Long> tableRows(Connection connection, Plan was, Plan now) throws SQLException {
        Map<String, Long> rows = new HashMap<>();
        for (Plan plan : List.of(was, now)) {
            for (PlanNode node : plan.plan().flatten()) {
                if (node.fullScan() && !rows.containsKey(node.relation())) {
                    OptionalLong count = dialect.plannerRows(connection, node.relation());
                    if (count.isPresent()) {
                        rows.put(node.relation(), count.getAsLong());
                    }
                }
            }
        }
        return rows;
    }

    private static List<String> userTables(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = connection.getMetaData().getTables(connection.getCatalog(), connection.getSchema(), "%",
                new String[] {"TABLE", "PARTITIONED TABLE", "VIEW"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }


    /** The engine's message, first line only: PostgreSQL adds the error's position on the next. */
    private static String message(SQLException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage().strip().lines().findFirst().orElse("");
    }
}
