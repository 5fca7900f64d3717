package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.Durations;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.Novelty;
import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.RehearsalResult.Drift;
import dev.schemarehearsal.harness.api.RehearsalResult.Point;
import dev.schemarehearsal.harness.api.RehearsalResult.Trend;
import dev.schemarehearsal.harness.api.RehearsalResult.Trends;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;
import dev.schemarehearsal.harness.history.RunRecord.Capture;
import dev.schemarehearsal.harness.history.RunRecord.FindingRun;
import dev.schemarehearsal.harness.history.RunRecord.MigrationRun;
import dev.schemarehearsal.harness.history.RunRecord.QueryRun;
import dev.schemarehearsal.harness.history.RunRecord.TableSize;
import dev.schemarehearsal.harness.plan.PlanChanges;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One run against the earlier runs of its branch: which findings are new, known or resolved (against the previous
 * run), the trends over all of them, what changed since last week in one line, and how production's own plans moved
 * between two captures.
 */
final class Comparison {
    private static final Duration WEEK = Duration.ofDays(7);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** The summary names at most this many tables, migrations and queries each, the largest changes first. */
    private static final int MOST = 3;
    /**
     * A lock's duration at production size changing by less than this, or by less than a fifth, is the shadow's timing
     * from run to run, not news.
     */
    private static final long NOISE_MS = 100;
    /** The same for a lock measured on the shadow only: on a sample, moves below a second are its timing. */
    private static final long SHADOW_NOISE_MS = 1000;

    private final List<RunRecord> earlier;
    private final RunRecord current;

    /**
     * @param earlier the branch's earlier runs, oldest first
     * @param current this run
     */
    Comparison(List<RunRecord> earlier, RunRecord current) {
        this.earlier = List.copyOf(earlier);
        this.current = current;
    }

    /** The finding marked against the previous run: known when that run had its fingerprint. */
    static Finding mark(Finding finding, RunRecord previous) {
        boolean known = previous != null && previous.findings().stream()
                .anyMatch(f -> Objects.equals(f.fingerprint(), finding.fingerprint()));
        return finding.withHistory(known ? Novelty.KNOWN : Novelty.NEW);
    }

    /** The previous run's findings this run no longer has, as they were. */
    List<Finding> resolved() {
        if (earlier.isEmpty()) {
            return List.of();
        }
        Set<String> now = current.findings().stream().map(FindingRun::fingerprint).collect(Collectors.toSet());
        return earlier.get(earlier.size() - 1).findings().stream()
                .filter(f -> !now.contains(f.fingerprint()) && Rule.byId(f.rule()) != null)
                .map(f -> new Finding(Rule.byId(f.rule()), Severity.valueOf(f.severity().toUpperCase(Locale.ROOT)),
                        f.migration(), f.statement(), f.table(), f.query(), f.message()).withFingerprint(f.fingerprint()))
                .toList();
    }

    /** The trends of what this run has, over the earlier runs and this one. */
    Trends trends() {
        List<RunRecord> runs = Stream.concat(earlier.stream(), Stream.of(current)).toList();
        return trends(runs, current);
    }

    /**
     * Trends over the runs, oldest first.
     *
     * @param of the run whose migrations, queries and tables to draw, or {@code null} for every one any run has
     */
    static Trends trends(List<RunRecord> runs, RunRecord of) {
        List<RunRecord> named = of == null ? runs : List.of(of);
        List<Trend> migrations = names(named, r -> r.migrations().stream().map(MigrationRun::script)).stream()
                .map(script -> new Trend(script, runs.stream().flatMap(r -> r.migrations().stream()
                        .filter(m -> m.script().equals(script)).findFirst()
                        .map(m -> new Point(r.at(), blockedMs(m), null, false)).stream()).toList()))
                .toList();
        List<Trend> queries = names(named, r -> r.queries().stream().map(QueryRun::name)).stream()
                .map(name -> new Trend(name, queryPoints(runs, name))).toList();
        List<Trend> tables = names(named, r -> r.tables().stream().filter(t -> t.rows() != null).map(TableSize::table))
                .stream().map(table -> new Trend(table, runs.stream().flatMap(r -> r.tables().stream()
                        .filter(t -> t.table().equals(table) && t.rows() != null).findFirst()
                        .map(t -> new Point(r.at(), t.rows(), t.bytes(), false)).stream()).toList()))
                .toList();
        return new Trends(migrations, queries, tables);
    }

    /** A query's cost after the pending migrations, each point marked where its plan's shape differs from the last. */
    private static List<Point> queryPoints(List<RunRecord> runs, String name) {
        List<Point> points = new ArrayList<>();
        String shape = null;
        for (RunRecord run : runs) {
            Optional<RunRecord.Plan> plan = run.queries().stream().filter(q -> q.name().equals(name)).findFirst()
                    .map(Comparison::planAfter);
            if (plan.isEmpty() || plan.get().cost() == null) {
                continue;
            }
            points.add(new Point(run.at(), plan.get().cost(), null, shape != null && !shape.equals(plan.get().shape())));
            shape = plan.get().shape();
        }
        return points;
    }

    /** The plan production will run once the migrations are deployed; the one before when planning after failed. */
    private static RunRecord.Plan planAfter(QueryRun query) {
        return query.after() != null ? query.after() : query.before();
    }

    /** The longest a migration blocks production: at production size where there is an estimate. */
    private static double blockedMs(MigrationRun migration) {
        return migration.productionBlockedMs() != null ? migration.productionBlockedMs() : migration.blockedMs();
    }

    private static List<String> names(List<RunRecord> runs, Function<RunRecord, Stream<String>> names) {
        return List.copyOf(runs.stream().flatMap(names).collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    /**
     * What changed since last week (or the oldest run when the history is younger) in one line, e.g. {@code orders
     * +4.1 % since last week; V12's lock at production size 400 ms → 1.3 s}; empty for the branch's first run or
     * when nothing changed.
     */
    String summary() {
        RunRecord reference = reference();
        if (reference == null) {
            return "";
        }
        String since = since(reference);
        List<String> tables = tableChanges(reference);
        List<String> others = new ArrayList<>(migrationChanges(reference));
        others.addAll(planChanges(reference));
        if (tables.isEmpty() && others.isEmpty()) {
            return "";
        }
        if (tables.isEmpty()) {
            return "Since " + since + ": " + String.join("; ", others);
        }
        List<String> parts = new ArrayList<>(List.of(String.join(", ", tables) + " since " + since));
        parts.addAll(others);
        return String.join("; ", parts);
    }

    /** The newest run at least a week old, else the oldest there is. */
    private RunRecord reference() {
        Instant weekAgo = Instant.parse(current.at()).minus(WEEK);
        return earlier.stream().filter(r -> !Instant.parse(r.at()).isAfter(weekAgo)).reduce((a, b) -> b)
                .orElse(earlier.isEmpty() ? null : earlier.get(0));
    }

    private String since(RunRecord reference) {
        Instant then = Instant.parse(reference.at());
        Instant now = Instant.parse(current.at());
        if (!then.isAfter(now.minus(WEEK)) && then.isAfter(now.minus(WEEK).minus(Duration.ofDays(1)))) {
            return "last week";
        }
        return reference == earlier.get(earlier.size() - 1) ? "the last run" : DAY.format(then);
    }

    private List<String> tableChanges(RunRecord reference) {
        Map<String, Long> then = reference.tables().stream().filter(t -> t.rows() != null && t.rows() > 0)
                .collect(Collectors.toMap(TableSize::table, TableSize::rows, (a, b) -> a));
        record Change(String table, double percent) { }
        return current.tables().stream().filter(t -> t.rows() != null && then.containsKey(t.table()))
                .map(t -> new Change(t.table(), 100.0 * (t.rows() - then.get(t.table())) / then.get(t.table())))
                .filter(c -> Math.abs(c.percent()) >= 0.05)
                .sorted(Comparator.comparingDouble((Change c) -> -Math.abs(c.percent())))
                .limit(MOST)
                .map(c -> String.format(Locale.ROOT, "%s %+.1f %%", c.table(), c.percent()))
                .toList();
    }

    private List<String> migrationChanges(RunRecord reference) {
        record Change(String text, double growth) { }
        List<Change> changes = new ArrayList<>();
        for (MigrationRun now : current.migrations()) {
            Optional<MigrationRun> then = reference.migrations().stream().filter(m -> m.script().equals(now.script()))
                    .findFirst();
            if (then.isEmpty()) {
                continue;
            }
            boolean atScale = now.productionBlockedMs() != null && then.get().productionBlockedMs() != null;
            long was = Math.round(atScale ? then.get().productionBlockedMs() : then.get().blockedMs());
            long is = Math.round(atScale ? now.productionBlockedMs() : now.blockedMs());
            if (!changed(was, is, atScale ? NOISE_MS : SHADOW_NOISE_MS)) {
                continue;
            }
            String name = now.version() == null ? now.script() : "V" + now.version();
            changes.add(new Change(name + "'s lock" + (atScale ? " at production size " : " ") + Durations.human(was)
                    + " → " + Durations.human(is), Math.abs(is - was)));
        }
        return changes.stream().sorted(Comparator.comparingDouble(c -> -c.growth())).limit(MOST).map(Change::text)
                .toList();
    }

    /** Whether a lock's duration moved more than a rehearsal's own timing does: by at least {@code noiseMs} and a fifth. */
    private static boolean changed(long was, long is, long noiseMs) {
        long by = Math.abs(is - was);
        return by >= noiseMs && by >= Math.max(was, is) / 5 && !Durations.human(was).equals(Durations.human(is));
    }

    private List<String> planChanges(RunRecord reference) {
        List<String> changes = new ArrayList<>();
        for (QueryRun now : current.queries()) {
            RunRecord.Plan is = planAfter(now);
            Optional<RunRecord.Plan> was = reference.queries().stream().filter(q -> q.name().equals(now.name()))
                    .findFirst().map(Comparison::planAfter);
            if (is != null && was.isPresent() && !Objects.equals(is.shape(), was.get().shape())) {
                changes.add("query " + now.name() + "'s plan changed" + (is.cost() == null || was.get().cost() == null
                        ? "" : String.format(Locale.ROOT, " (cost %,.0f → %,.0f)", was.get().cost(), is.cost())));
            }
        }
        return changes.stream().limit(MOST).toList();
    }

    /**
     * The queries whose plan in production changed between the newest earlier capture of production's plans and this
     * run's; none when this run has no capture, or the same one (the same {@code collectedAt}).
     */
    List<Drift> drift() {
        Capture now = current.productionPlans();
        Capture then = earlier.stream().map(RunRecord::productionPlans).filter(Objects::nonNull)
                .reduce((a, b) -> b).orElse(null);
        if (now == null || then == null || (now.collectedAt() != null && now.collectedAt().equals(then.collectedAt()))) {
            return List.of();
        }
        List<Drift> drift = new ArrayList<>();
        for (Map.Entry<String, PlanNode> query : now.queries().entrySet()) {
            PlanNode was = then.queries().get(query.getKey());
            PlanNode is = query.getValue();
            if (was == null || Objects.equals(Hashes.shape(was), Hashes.shape(is))) {
                continue;
            }
            List<String> changes = PlanChanges.between(was, is);
            drift.add(new Drift(query.getKey(), then.collectedAt(), now.collectedAt(), was.cost(), is.cost(),
                    changes.isEmpty() ? List.of("the plan's shape changed") : changes));
        }
        return drift;
    }
}
