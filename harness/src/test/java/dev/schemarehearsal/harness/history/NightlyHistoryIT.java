package dev.schemarehearsal.harness.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.Novelty;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Trend;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.migrate.Git;
import dev.schemarehearsal.harness.report.Reports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nights of one branch on embedded PostgreSQL 15 with the history in a folder, production growing each night:
 * the first run's findings are all new; the second adds a migration that drops the index a query uses, so its
 * findings are new and the others known; the third has that migration gone again (resolved), production's own plan
 * of the query changed between the captures (drift), and every finding known: {@code failOn=new:error} fails nothing
 * where {@code failOn=error} fails on the same history. Every output carries the marks and the trends. On a fourth
 * night nothing is pending, and production's plan that changed back is still reported.
 */
class NightlyHistoryIT {
    private static final String SCHEMA = """
            CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, total int NOT NULL);
            CREATE INDEX orders_status_idx ON orders (status);
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path project;

    @Test
    void threeNightsShowTrendsMarksAndFailOnlyOnWhatIsNew() throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Path rehearsal = Files.createDirectories(project.resolve("src/rehearsal/data"));
        Files.writeString(migrations.resolve("V1__orders.sql"), SCHEMA);
        // Rewrites orders under an ACCESS EXCLUSIVE lock: errors every night, the same ones.
        Files.writeString(migrations.resolve("V2__orders_total_bigint.sql"),
                "ALTER TABLE orders ALTER COLUMN total TYPE bigint;\n");
        Files.writeString(rehearsal.resolve("orders.csv"), "id,status,total\n" + IntStream.rangeClosed(1, 5000)
                .mapToObj(i -> i + "," + (i % 200 == 0 ? "pending" : "delivered") + "," + i % 500)
                .collect(Collectors.joining("\n")) + "\n");
        Files.writeString(project.resolve("src/rehearsal/queries.sql"), """
                -- name: pending_orders
                SELECT id, total FROM orders WHERE status = 'pending';
                """);
        git("init", "-q", "-b", "main");
        commit("the project");

        // Night 1: production has 1,000,000 orders: V2 holds its lock for seconds there, every night.
        night(1_000_000, "2026-01-05T02:00:00Z", "Index Scan");
        RehearsalResult first = rehearse("error", project.resolve(".schema-rehearsal/history"));
        assertThat(first.history().previous()).isNull();
        assertThat(first.history().branch()).isEqualTo("main");
        assertThat(first.findings()).as("%s", first.findings()).isNotEmpty().extracting(Finding::history)
                .containsOnly(Novelty.NEW);
        assertThat(first.findings()).extracting(Finding::fingerprint).doesNotContainNull();

        // Night 2: production grew to 1,100,000; a migration that drops the query's index is pending too.
        Files.writeString(migrations.resolve("V3__drop_status_index.sql"), "DROP INDEX orders_status_idx;\n");
        commit("drop the index");
        night(1_100_000, "2026-01-06T02:00:00Z", "Index Scan");
        RehearsalResult second = rehearse("error", project.resolve(".schema-rehearsal/history"));
        assertThat(second.history().previous().at()).isNotNull();
        assertThat(second.findings()).filteredOn(f -> "2".equals(f.migration()))
                .isNotEmpty().extracting(Finding::history).containsOnly(Novelty.KNOWN);
        assertThat(second.findings()).filteredOn(f -> "3".equals(f.migration()) || f.rule() == Rule.PLAN_REGRESSION)
                .isNotEmpty().extracting(Finding::history).containsOnly(Novelty.NEW);

        // Night 3: the index stays after all; production grew to 1,250,000 and now reads orders in full.
        Files.delete(migrations.resolve("V3__drop_status_index.sql"));
        commit("keep the index");
        night(1_250_000, "2026-01-07T02:00:00Z", "Seq Scan");
        Path copy = copy(project.resolve(".schema-rehearsal/history"), project.resolve("history-copy"));
        RehearsalResult third = rehearse("new:error", project.resolve(".schema-rehearsal/history"));
        RehearsalResult thirdFailingOnAll = rehearse("error", copy);

        assertThat(third.findings()).as("%s", third.findings()).isNotEmpty().extracting(Finding::history)
                .containsOnly(Novelty.KNOWN);
        assertThat(third.findings()).anyMatch(f -> f.severity().name().equals("ERROR"));
        assertThat(third.failures()).as("new:error: nothing new fails the build").isEmpty();
        assertThat(thirdFailingOnAll.failures()).as("error: the known errors still fail it").isNotEmpty();
        assertThat(third.resolvedFindings()).isNotEmpty()
                .allMatch(f -> "3".equals(f.migration()) || f.rule() == Rule.PLAN_REGRESSION);
        assertThat(third.history().runs()).isEqualTo(3);

        // Trends: production's orders over three nights, V2's lock at production size growing with them.
        Trend orders = trend(third.trends().tables(), "public.orders");
        assertThat(orders.points()).extracting(RehearsalResult.Point::value).containsExactly(1_000_000.0, 1_100_000.0,
                1_250_000.0);
        Trend v2 = trend(third.trends().migrations(), "V2__orders_total_bigint.sql");
        // The figures are measured: their order from night to night is the shadow's timing, not asserted.
        assertThat(v2.points()).hasSize(3).allMatch(p -> p.value() > 1_000, "above maxLockMs at production size");
        Trend query = trend(third.trends().queries(), "pending_orders");
        assertThat(query.points()).hasSize(3);
        assertThat(query.points().get(1).planChanged()).as("the night the index was dropped").isTrue();
        assertThat(third.history().summary()).startsWith("public.orders +25.0 % since ");
        assertThat(third.drift()).singleElement().satisfies(drift -> {
            assertThat(drift.query()).isEqualTo("pending_orders");
            assertThat(drift.from()).isEqualTo("2026-01-06T02:00:00Z");
            assertThat(drift.to()).isEqualTo("2026-01-07T02:00:00Z");
        });

        Path reports = project.resolve("target/schema-rehearsal");
        JsonNode report = JSON.readTree(reports.resolve(Reports.JSON).toFile());
        assertThat(report.path("findings").findValuesAsText("history")).isNotEmpty().containsOnly("known");
        assertThat(report.path("resolvedFindings").size()).isEqualTo(third.resolvedFindings().size());
        assertThat(report.at("/trends/tables/0/points").size()).isEqualTo(3);
        assertThat(report.at("/drift/0/query").asText()).isEqualTo("pending_orders");
        String summary = Files.readString(reports.resolve(Reports.MARKDOWN));
        assertThat(summary).contains("| severity | history | rule |").contains("| known |")
                .contains("Trends: public.orders +25.0 % since ").contains("Resolved since the previous run:")
                .contains("Production's own plans changed between its captures:");
        String html = Files.readString(reports.resolve(Reports.HTML));
        assertThat(html).contains("<span class=\"badge known\">known</span>").contains("<figure class=\"trend\">")
                .contains("<polyline class=\"trend\"").contains("Resolved since the previous run (")
                .contains("own plans changed (1)");
        JsonNode sarif = JSON.readTree(reports.resolve(Reports.SARIF).toFile());
        assertThat(sarif.at("/runs/0/results").findValuesAsText("baselineState")).contains("unchanged", "absent")
                .doesNotContain("new");
        String junit = Files.readString(reports.resolve(Reports.JUNIT));
        assertThat(junit).contains("name=\"history.known\"").contains("name=\"history.resolved\"");
        // The rehearsal with failOn=error wrote its reports to the same folder last: render the history alone.
        List<RehearsalEvent> events = new ArrayList<>();
        List<Path> rendered = History.render(dev.schemarehearsal.harness.api.RehearsalConfig.History.parse(project,
                "true", null, null, 90), project.resolve("dashboard"), events::add);
        JsonNode history = JSON.readTree(rendered.get(1).toFile());
        assertThat(history.path("runs").size()).isEqualTo(3);
        assertThat(history.path("runs").findValuesAsText("branch")).containsOnly("main");
        assertThat(history.at("/runs/0/at").asText()).isGreaterThan(history.at("/runs/2/at").asText());
        assertThat(Files.readString(rendered.get(0))).contains("Trends of branch main (3 run(s))");

        // Night 4: V2 is deployed, nothing is pending; production's plan moved back, and that is still news.
        night(1_300_000, "2026-01-08T02:00:00Z", "Index Scan");
        RehearsalResult fourth = rehearse("2", "new:error", project.resolve(".schema-rehearsal/history"));
        assertThat(fourth.migrations()).isEmpty();
        assertThat(fourth.drift()).singleElement().satisfies(drift -> {
            assertThat(drift.from()).isEqualTo("2026-01-07T02:00:00Z");
            assertThat(drift.changes()).isNotEmpty();
        });
        assertThat(fourth.resolvedFindings()).extracting(Finding::migration).contains("2");
        assertThat(Files.readString(reports.resolve(Reports.MARKDOWN)))
                .contains("Production's own plans changed between its captures:\n\n- pending\\_orders: the planner's cost fell");
    }

    /** Production's statistics and plans as a nightly {@code schema:sample} refreshes them. */
    private void night(long orders, String collectedAt, String productionNode) throws IOException {
        Files.writeString(project.resolve("src/rehearsal/stats.json"), String.format(Locale.ROOT, """
                {"engine": "postgresql", "collectedAt": "%s", "tables": {"public.orders": {"rows": %d, "bytes": %d,
                 "columns": {"status": {"nullFraction": 0.0, "distinct": 2, "averageWidth": 9,
                   "mostCommonValues": ["delivered", "pending"], "mostCommonFrequencies": [0.995, 0.005]}}}}}
                """, collectedAt, orders, orders * 64));
        Files.writeString(project.resolve("src/rehearsal/plans.json"), String.format(Locale.ROOT, """
                {"engine": "postgresql", "collectedAt": "%s", "queries": {"pending_orders": {"nodeType": "%s",
                 "relation": "orders", "index": %s, "joinType": null, "fullScan": %s, "condition": null,
                 "estimatedRows": %d, "cost": %.1f, "actualRows": null, "actualMs": null, "children": []}}}
                """, collectedAt, productionNode, productionNode.startsWith("Index") ? "\"orders_status_idx\"" : "null",
                !productionNode.startsWith("Index"), orders / 200, productionNode.startsWith("Index") ? 8.0 : 4000.0));
    }

    private RehearsalResult rehearse(String failOn, Path history) {
        return rehearse("1", failOn, history);
    }

    private RehearsalResult rehearse(String baseline, String failOn, Path history) {
        return Rehearsal.configure().projectDirectory(project).shadow("embedded").engineVersion("15")
                .baseline(baseline).failOn(failOn).history(history.toString(), null, null).load().run(event -> { });
    }

    private static Trend trend(List<Trend> trends, String name) {
        return trends.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not among " + trends));
    }

    private void git(String... arguments) throws IOException {
        Git.Output output = Git.run(project, arguments);
        assertThat(output.ok()).as("git %s: %s", String.join(" ", arguments), output.stderr()).isTrue();
    }

    private void commit(String message) throws IOException {
        git("add", "-A");
        git("-c", "user.name=nightly", "-c", "user.email=nightly@example.com", "commit", "-q", "-m", message);
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }
}
