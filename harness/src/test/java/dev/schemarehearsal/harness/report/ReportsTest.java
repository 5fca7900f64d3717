package dev.schemarehearsal.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Disagreement;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.QueryResult;
import dev.schemarehearsal.harness.api.QueryResult.Change;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Destroyed;
import dev.schemarehearsal.harness.api.RehearsalResult.Range;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.ProbeKind;
import dev.schemarehearsal.harness.api.RehearsalResult.ProbeSample;
import dev.schemarehearsal.harness.api.RehearsalResult.ProductionEstimate;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementSpan;
import dev.schemarehearsal.harness.api.RehearsalResult.Timeline;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.Severity;
import dev.schemarehearsal.harness.api.ShadowKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportsTest {
    /** Markup, quotes, entities, a CDATA end, a comment, a control character and Markdown, in every name and value. */
    private static final String HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&amp;]]><!-- x -->"
            + "\u0001 | *b* [l](http://evil.example) `c`";
    /** What of it reaches a reader: the control character, which no XML may hold, becomes U+FFFD. */
    private static final String SHOWN = HOSTILE.replace('\u0001', '\uFFFD');

    @TempDir
    Path project;
    private Path reports;

    @BeforeEach
    void migrationScripts() throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V2__add.sql"), "-- adds\n\n\nALTER TABLE t ADD COLUMN c text;\n");
        reports = project.resolve("target/schema-rehearsal");
    }

    private RehearsalConfig config() {
        return Rehearsal.configure().projectDirectory(project).baseline("1").reportDirectory(reports).load().config();
    }

    private static RehearsalResult result(List<Finding> findings, List<Finding> failures) {
        StatementResult hostile = new StatementResult(1, 3, "ALTER TABLE t ADD COLUMN c text DEFAULT '" + HOSTILE + "'", 7,
                List.of(new Lock(HOSTILE, "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 9)),
                List.of(HOSTILE), List.of(HOSTILE), List.of(new Destroyed(HOSTILE, "c", "bigint", "integer")), 11, null,
                0L, false, HOSTILE).withEstimate(new ProductionEstimate(33_000, new Range(20_000, 50_000),
                "fit on 3 sizes: " + HOSTILE), null);
        StatementResult add = new StatementResult(1, 4, "-- adds\n\n\nALTER TABLE t ADD COLUMN c text", 2, List.of(), List.of(),
                List.of(), List.of(), 3, 2L, 0L, false, null);
        List<QueryResult> queries = List.of(new QueryResult(HOSTILE, plan(8.3, "Index Scan", "orders_status_idx", false),
                        plan(3471.0, "Seq Scan", null, true), Change.REGRESSED,
                        List.of("orders is now read in full where " + HOSTILE + " served before"), "2", null, false),
                new QueryResult("same", plan(8.3, "Index Scan", "orders_status_idx", false),
                        plan(8.3, "Index Scan", "orders_status_idx", false), Change.UNCHANGED, List.of(), null, null, true),
                new QueryResult("renamed", plan(8.3, "Index Scan", "orders_status_idx", false), null,
                        Change.FAILED, List.of(), "3", HOSTILE, null));
        return new RehearsalResult(new RehearsalResult.Tool("schema-rehearsal", "1.0"), RehearsalResult.Verdict.FAIL,
                new RehearsalResult.Shadow(ShadowKind.EMBEDDED, Engine.POSTGRESQL, "15.14", "auto: " + HOSTILE),
                List.of(new RehearsalResult.Phase("start", 12), new RehearsalResult.Phase("migrate", 1500)),
                new RehearsalResult.Data(List.of(new RehearsalResult.TableLoad(HOSTILE, HOSTILE + ".csv", 3, 4)),
                        List.of(), null, List.of(new RehearsalResult.TablePadding(HOSTILE, 1, 2_950, 3_000))),
                List.of(new MigrationResult("2", "add", "V2__add.sql", MigrationStatus.APPLIED, 5, null, List.of(add)),
                        new MigrationResult("3", HOSTILE, "V3__" + HOSTILE + ".sql", MigrationStatus.FAILED, 5, HOSTILE,
                                List.of(hostile), List.of(), List.of(new RehearsalResult.Window(HOSTILE,
                                "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 1, 1, 9, 5_520_000L,
                                new Range(4_000_000, 7_000_000), "fit on 3 sizes", 11)))),
                findings, failures,
                new Timeline(List.of(new ProbeSample(0, 2, ProbeKind.READ), new ProbeSample(10, 800, ProbeKind.WRITE),
                        new ProbeSample(20, 3, ProbeKind.READ)),
                        List.of(new StatementSpan("3", "V3__" + HOSTILE + ".sql", 1, 5, 15)), 30),
                List.of(new RehearsalResult.BackfillResult(HOSTILE, "2", HOSTILE, HOSTILE + ".sql:1", 1000, 2, 1500, 40,
                        37_500, new RehearsalResult.BatchMs(15, 25, 25), 30, 0, false, 90_000L, 2_400L, 0L,
                        new RehearsalResult.BatchAdvice(1000, List.of(new RehearsalResult.BatchTrial(1000, 2, 1500,
                                37_500, new RehearsalResult.BatchMs(15, 25, 25), 25, 30))), HOSTILE,
                        List.of(new RehearsalResult.Batch(1, 0, 1000, 1000, 25, 30), new RehearsalResult.Batch(2,
                                1000, 2000, 500, 15, 900)), new Range(1_200, 4_800), HOSTILE, null),
                        new RehearsalResult.BackfillResult("many", "2", "t", "many.sql:1", 10, 500, 5000, 1000, 5000,
                                new RehearsalResult.BatchMs(2, 2, 3), 4, 0, true, null, null, null, null,
                                java.util.stream.IntStream.rangeClosed(1, 500).mapToObj(i -> new RehearsalResult.Batch(i,
                                        (i - 1) * 10L, i * 10L, 10, 2, i == 250 ? 4 : 1)).toList())),
                new LintResult(Engine.POSTGRESQL, "15", List.of(), List.of(), List.of(),
                        List.of(new LintResult.MigrationRecord("3", HOSTILE, "V3__" + HOSTILE + ".sql", HOSTILE, HOSTILE,
                                HOSTILE, HOSTILE, "2026-01-01")), List.of()),
                List.of(new Disagreement("3", 1, 3, HOSTILE, Rule.TABLE_REWRITE, HOSTILE, HOSTILE)),
                queries, RehearsalResult.Fidelity.of(queries));
    }

    private static QueryResult.Plan plan(double cost, String type, String index, boolean fullScan) {
        return new QueryResult.Plan(new PlanNode("Limit", null, null, null, false, null, 1.0, cost, null, null,
                List.of(new PlanNode(type, "orders", index, null, fullScan, "Filter: (status = '" + HOSTILE + "')", 1.0, cost,
                        null, null, List.of()))), cost, null, null);
    }

    private static final Finding FAILED = Finding.ofMigration(Rule.MIGRATION_FAILED, "3", null, HOSTILE, "V3 failed: " + HOSTILE);
    private static final Finding SCAN = Finding.ofMigration(Rule.NOT_NULL_SCAN, "2", 1, "t", "a scan on " + HOSTILE);
    private static final Finding NOT_IDEMPOTENT = Finding.ofMigration(Rule.NOT_IDEMPOTENT, null, null, null,
            "R__" + HOSTILE + ".sql changes the schema when applied again");

    /** About the hostile backfill, which runs after V2: a warning, and an error. */
    private static final Finding SLOW = new Finding(Rule.BACKFILL_SLOW, Severity.WARNING, "2", null, HOSTILE, null,
            "Backfill " + HOSTILE + " (" + HOSTILE + ".sql:1): batch 2 of 2 stalled probes for 900 ms");
    private static final Finding RERUN = new Finding(Rule.NOT_IDEMPOTENT, Severity.ERROR, "2", null, HOSTILE, null,
            "Backfill " + HOSTILE + " (" + HOSTILE + ".sql:1) changed 7 rows when run a second time");

    private static RehearsalResult result() {
        return result(List.of(FAILED, SCAN, NOT_IDEMPOTENT), List.of(FAILED));
    }

    @Test
    void writesEveryOutputAndReturnsTheirPaths() {
        List<Path> written = Reports.write(result(), config());

        assertThat(written).extracting(p -> p.getFileName().toString())
                .containsExactly("report.html", "report.json", "TEST-schema-rehearsal.xml", "summary.md", "findings.sarif");
        assertThat(written).allMatch(Files::isRegularFile).allMatch(p -> p.getParent().equals(reports));
        assertThat(Reports.countsBySeverity(result().findings())).isEqualTo("1 error, 2 warning, 0 info");
    }

    @Test
    void jsonCarriesTheSpecFieldsInLowerCase() throws Exception {
        Reports.write(result(), config());
        JsonNode json = new ObjectMapper().readTree(reports.resolve(Reports.JSON).toFile());

        assertThat(json.at("/verdict").asText()).isEqualTo("fail");
        assertThat(json.at("/shadow/kind").asText()).isEqualTo("embedded");
        assertThat(json.at("/shadow/engine").asText()).isEqualTo("postgresql");
        assertThat(json.at("/migrations/1/status").asText()).isEqualTo("failed");
        assertThat(json.at("/findings/0/rule").asText()).isEqualTo("migration-failed");
        assertThat(json.at("/findings/0/severity").asText()).isEqualTo("error");
        assertThat(json.at("/findings/0/table").asText()).isEqualTo(HOSTILE);
        assertThat(json.at("/data/padded/0/paddedPages").asLong()).isEqualTo(2_950);
        assertThat(json.at("/data/padded/0/productionPages").asLong()).isEqualTo(3_000);
        assertThat(json.at("/data/tables/0/rows").asLong()).isEqualTo(3);
        JsonNode statement = json.at("/migrations/1/statements/0");
        assertThat(statement.at("/index").asInt()).isEqualTo(1);
        assertThat(statement.at("/durationMs").asLong()).isEqualTo(7);
        assertThat(statement.at("/locks/0/mode").asText()).isEqualTo("AccessExclusiveLock");
        assertThat(statement.at("/locks/0/blocks").toString()).isEqualTo("[\"reads\",\"writes\"]");
        assertThat(statement.at("/locks/0/heldMs").asLong()).isEqualTo(9);
        assertThat(statement.at("/rewrites/0").asText()).isEqualTo(HOSTILE);
        assertThat(statement.at("/probeStallMs").asLong()).isEqualTo(11);
        assertThat(statement.at("/estimatedProductionMs").asLong()).isEqualTo(33_000);
        assertThat(statement.at("/estimatedProductionRange").toString()).isEqualTo("{\"low\":20000,\"high\":50000}");
        assertThat(statement.at("/estimateBasis").asText()).isEqualTo("fit on 3 sizes: " + HOSTILE);
        assertThat(json.at("/backfills/0/estimatedProductionRange/high").asLong()).isEqualTo(4_800);
        assertThat(json.at("/backfills/0/estimateBasis").asText()).isEqualTo(HOSTILE);
        assertThat(statement.at("/destroyed/0/from").asText()).isEqualTo("bigint");
        assertThat(json.at("/timeline/probes/1").toString()).isEqualTo("{\"offsetMs\":10,\"latencyMs\":800,\"kind\":\"write\"}");
        assertThat(json.at("/timeline/statements/0/startMs").asLong()).isEqualTo(5);
        assertThat(json.at("/timeline/probesRun").asInt()).isEqualTo(30);

        JsonNode query = json.at("/queries/0");
        assertThat(query.at("/name").asText()).isEqualTo(HOSTILE);
        assertThat(query.at("/change").asText()).isEqualTo("regressed");
        assertThat(query.at("/before/cost").asDouble()).isEqualTo(8.3);
        assertThat(query.at("/after/cost").asDouble()).isEqualTo(3471.0);
        assertThat(query.at("/after/plan/nodeType").asText()).isEqualTo("Limit");
        assertThat(query.at("/after/plan/children/0/nodeType").asText()).isEqualTo("Seq Scan");
        assertThat(query.at("/after/plan/children/0/fullScan").asBoolean()).isTrue();
        assertThat(query.at("/before/plan/children/0/index").asText()).isEqualTo("orders_status_idx");
        assertThat(query.at("/migration").asText()).isEqualTo("2");
        assertThat(query.at("/changes/0").asText()).contains(HOSTILE);
    }

    /** Parses a report strictly as XML: any markup that slipped through unescaped makes it fail or shows below. */
    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    @Test
    void htmlIsWellFormedAndHostileNamesAndValuesStayText() throws Exception {
        Reports.write(result(), config());
        Path file = reports.resolve(Reports.HTML);
        Document page = parse(file);
        XPath xpath = XPathFactory.newInstance().newXPath();

        // Only the writer's own vocabulary, no scripts, handlers, comments or references to elsewhere.
        String vocabulary = " html head meta title style body h1 h2 h3 div span p section ol ul li a code pre table tr th td "
                + "svg line rect polyline text ";
        assertThat(xpath.evaluate("count(//*[not(contains('" + vocabulary + "', concat(' ', local-name(), ' ')))])", page))
                .isEqualTo("0");
        assertThat(xpath.evaluate("count(//@*[starts-with(name(), 'on')])", page)).isEqualTo("0");
        assertThat(xpath.evaluate("count(//comment())", page)).isEqualTo("0");
        assertThat(xpath.evaluate("count(//a[not(starts-with(@href, '#'))])", page)).isEqualTo("0");
        assertThat(xpath.evaluate("count(//@*[contains(., '://') or contains(., 'javascript:')])", page)).isEqualTo("0");
        assertThat(xpath.evaluate("//style", page)).doesNotContain("url(").doesNotContain("@import");

        assertThat(xpath.evaluate("//div[@id='verdict']/span[@class='word']", page)).isEqualTo("FAIL");
        assertThat(xpath.evaluate("//div[@id='verdict']/span[@class='why']", page))
                .startsWith("1 error, 2 warning, 0 info · 2 pending migration(s) · 1 finding(s) match failOn");
        assertThat(xpath.evaluate("//div[@id='verdict']/following-sibling::p[1]", page))
                .isEqualTo("postgresql 15.14 · embedded shadow (auto: " + SHOWN + ") · schema-rehearsal 1.0");
        // Top findings first, worst first.
        assertThat(xpath.evaluate("//section[@id='top-findings']/ol/li[1]", page))
                .isEqualTo("error migration-failed V3: V3 failed: " + SHOWN);
        assertThat(xpath.evaluate("count(//section[@id='top-findings']/ol/li)", page)).isEqualTo("3");
        assertThat(xpath.evaluate("//section[@id='findings']//tr[2]/td[7]", page)).isEqualTo("V3 failed: " + SHOWN);
        assertThat(xpath.evaluate("//section[@id='findings']//tr[2]/td[6]", page)).isEqualTo("yes (failOn)");

        String padded = "//section[@id='data']/h3[starts-with(., 'Storage padded')]/following-sibling::table[1]//tr[2]";
        assertThat(xpath.evaluate(padded + "/td[1]", page)).isEqualTo(SHOWN);
        assertThat(xpath.evaluate(padded + "/td[3]", page)).isEqualTo("2,950");

        String row = "//section[@id='migrations']/h3[2]/following-sibling::table[1]//tr[2]";
        assertThat(xpath.evaluate("//section[@id='migrations']/h3[2]", page)).isEqualTo("V3__" + SHOWN + ".sql: statements");
        assertThat(xpath.evaluate(row + "/@class", page)).isEmpty();
        assertThat(xpath.evaluate(row + "/td[3]", page)).isEqualTo("ALTER TABLE t ADD COLUMN c text DEFAULT '" + SHOWN + "'");
        assertThat(xpath.evaluate(row + "/td[5]", page)).isEqualTo(SHOWN + ": AccessExclusiveLock, held 9 ms");
        assertThat(xpath.evaluate(row + "/td[6]", page)).isEqualTo("reads and writes");
        assertThat(xpath.evaluate(row + "/td[7]", page)).isEqualTo(SHOWN);
        // Durations in the units a person reads.
        assertThat(xpath.evaluate(row + "/td[8]", page)).isEqualTo("11 ms");
        assertThat(xpath.evaluate(row + "/td[9]/div[1]", page)).isEqualTo("33 s (20 s to 50 s)");
        assertThat(xpath.evaluate(row + "/td[9]/div[@class='basis']", page)).isEqualTo("fit on 3 sizes: " + SHOWN);
        assertThat(xpath.evaluate(row + "/td[11]/div[1]", page)).isEqualTo("full scan of " + SHOWN);
        assertThat(xpath.evaluate(row + "/td[11]/div[2]", page)).isEqualTo(SHOWN + ".c: bigint → integer");
        assertThat(xpath.evaluate(row + "/td[11]/div[3]", page)).isEqualTo(SHOWN);
        // The not-null scan is a warning that matches no failOn: its row is not marked.
        String first = "//section[@id='migrations']/h3[1]/following-sibling::table[1]//tr[2]";
        assertThat(xpath.evaluate(first + "/td[10]", page)).isEqualTo("not-null-scan");
        assertThat(xpath.evaluate(first + "/@class", page)).isEmpty();

        assertThat(xpath.evaluate("//section[@id='data']//tr[2]/td[1]", page)).isEqualTo(SHOWN);
        assertThat(xpath.evaluate("//section[@id='environment']//tr[th='why this shadow']/td", page)).isEqualTo("auto: " + SHOWN);
        assertThat(xpath.evaluate("//section[@id='environment']//tr[th='engine']/td", page)).isEqualTo("postgresql");
        String queries = "//h2[starts-with(., 'Query plans')]/following-sibling::table[1]//tr[2]";
        assertThat(xpath.evaluate(queries + "/td[1]", page)).isEqualTo(SHOWN);
        assertThat(xpath.evaluate(queries + "/td[2]", page)).isEqualTo("regressed");
        assertThat(xpath.evaluate(queries + "/td[3]", page)).isEqualTo("8.30");
        assertThat(xpath.evaluate(queries + "/td[4]", page)).isEqualTo("3,471.00");
        assertThat(xpath.evaluate("//section[@id='environment']//tr[th='shadow']/td", page)).isEqualTo("embedded");

        // The timeline: both probe kinds drawn, the statement a band whose tooltip names it.
        assertThat(xpath.evaluate("count(//svg[@id='timeline-chart']/polyline)", page)).isEqualTo("2");
        // Two reads, each a level stretch from its start to its end.
        assertThat(xpath.evaluate("//svg/polyline[@class='probe-read']/@points", page).split(" ")).hasSize(4);
        assertThat(xpath.evaluate("//svg/rect[@class='span']/title", page))
                .isEqualTo("V3__" + SHOWN + ".sql statement 1: 10 ms");
        assertThat(xpath.evaluate("//svg/text[last()]", page)).isEqualTo("V3");

        // Plan changes: the regressed and the failed query, not the unchanged one.
        String diffs = "//section[@id='plan-diffs']/div[@class='plan-diff']";
        assertThat(xpath.evaluate("count(" + diffs + ")", page)).isEqualTo("2");
        assertThat(xpath.evaluate(diffs + "[1]/h3", page)).isEqualTo(SHOWN + " regressed after V2");
        assertThat(xpath.evaluate(diffs + "[1]/p", page)).isEqualTo("orders is now read in full where " + SHOWN + " served before");
        String before = diffs + "[1]/div[@class='plans']/div[@class='before']/ul/li";
        String after = diffs + "[1]/div[@class='plans']/div[@class='after']/ul/li";
        // The Limit is the same on both sides; the scan under it changed from an index scan to a full one.
        assertThat(xpath.evaluate(before + "/@class", page)).isEqualTo("same");
        assertThat(xpath.evaluate(after + "/@class", page)).isEqualTo("same");
        assertThat(xpath.evaluate(before + "/ul/li/@class", page)).isEqualTo("changed");
        assertThat(xpath.evaluate(after + "/ul/li/@class", page)).isEqualTo("changed");
        assertThat(xpath.evaluate(before + "/ul/li/div/code[2]", page)).isEqualTo("orders_status_idx");
        assertThat(xpath.evaluate(after + "/ul/li/div/span[@class='full-scan']", page)).isEqualTo("full scan");
        assertThat(xpath.evaluate(after + "/ul/li/div", page))
                .startsWith("Seq Scan on orders full scan (rows ~1, cost 3,471.00)")
                .endsWith("Filter: (status = '" + SHOWN + "')");
        assertThat(xpath.evaluate(diffs + "[2]/h3", page)).isEqualTo("renamed failed after V3");
        assertThat(xpath.evaluate(diffs + "[2]/p[@class='error']", page)).isEqualTo(SHOWN);
        assertThat(xpath.evaluate(diffs + "[2]//div[@class='after']/p[2]", page)).isEqualTo("no plan");
    }

    @Test
    void lockWindowsAndWhatFindingsBlockInProductionAreShownInHumanUnits() throws Exception {
        Finding blocking = Finding.ofMigration(Rule.BLOCKING_LOCK, "3", 1, HOSTILE, "held it").withImpact(5_520_000);
        Reports.write(result(List.of(blocking, SCAN), List.of()), config());
        Document page = parse(reports.resolve(Reports.HTML));
        XPath xpath = XPathFactory.newInstance().newXPath();

        String window = "//section[@id='migrations']/h3[2]/following-sibling::table[2]//tr[2]";
        assertThat(xpath.evaluate(window + "/td[1]", page)).isEqualTo(SHOWN);
        assertThat(xpath.evaluate(window + "/td[2]", page)).isEqualTo("AccessExclusiveLock");
        assertThat(xpath.evaluate(window + "/td[3]", page)).isEqualTo("reads and writes");
        assertThat(xpath.evaluate(window + "/td[4]", page)).isEqualTo("1");
        assertThat(xpath.evaluate(window + "/td[5]", page)).isEqualTo("9 ms");
        // The sum of the estimates under the lock, with its range and what it rests on.
        assertThat(xpath.evaluate(window + "/td[6]/div[1]", page)).isEqualTo("1 h 32 min (1 h 7 min to 1 h 57 min)");
        assertThat(xpath.evaluate(window + "/td[6]/div[@class='basis']", page)).isEqualTo("fit on 3 sizes");
        assertThat(xpath.evaluate(window + "/td[7]", page)).isEqualTo("11 ms");
        // Findings in the order given (ranked), with the production time each blocks.
        assertThat(xpath.evaluate("//section[@id='top-findings']/ol/li[1]", page))
                .isEqualTo("error blocking-lock V3 #1: held it (production blocked about 1 h 32 min)");
        assertThat(xpath.evaluate("//section[@id='findings']//tr[2]/td[8]", page)).isEqualTo("1 h 32 min");
        assertThat(xpath.evaluate("//section[@id='findings']//tr[3]/td[8]", page)).isEqualTo("–");

        String md = Files.readString(reports.resolve(Reports.MARKDOWN));
        assertThat(md.lines().filter(l -> l.startsWith("| error") || l.startsWith("| warning")).findFirst().orElseThrow())
                .startsWith("| error | `blocking-lock` | V3 \\#1 | held it | 1 h 32 min |");
        assertThat(md).contains("| lock | table | blocks | statements | held on the shadow | at production size |");
        assertThat(md.lines().filter(l -> l.startsWith("| AccessExclusiveLock |")).findFirst().orElseThrow())
                .contains("| reads and writes | V3").endsWith(".sql 1 | 9 ms | 1 h 32 min |");
    }

    @Test
    void aFlaggedStatementRowIsMarked() throws Exception {
        Finding scanFails = new Finding(Rule.NOT_NULL_SCAN, Severity.WARNING, "2", 1, "t", null, "scan");
        Reports.write(result(List.of(scanFails), List.of(scanFails)), config());
        Document page = parse(reports.resolve(Reports.HTML));

        assertThat(XPathFactory.newInstance().newXPath()
                .evaluate("//section[@id='migrations']/h3[1]/following-sibling::table[1]//tr[2]/@class", page))
                .isEqualTo("flagged");
    }

    @Test
    void junitXmlHasACasePerMigrationAndQueryAndFailuresCarryTheFindingsMessage() throws Exception {
        Finding regressed = new Finding(Rule.PLAN_REGRESSION, Severity.WARNING, "2", null, null, HOSTILE,
                "Query " + HOSTILE + "'s plan got worse");
        Finding renamed = new Finding(Rule.PLAN_REGRESSION, Severity.ERROR, "3", null, null, "renamed",
                "Query renamed fails after V3: " + HOSTILE);
        Reports.write(result(List.of(FAILED, SCAN, NOT_IDEMPOTENT, regressed, renamed), List.of(FAILED, regressed)),
                config());
        Document junit = parse(reports.resolve(Reports.JUNIT));
        XPath xpath = XPathFactory.newInstance().newXPath();

        assertThat(xpath.evaluate("/testsuite/@name", junit)).isEqualTo("schema-rehearsal");
        // Two migrations, two backfills, three queries, and the finding about no migration in a case of its own.
        assertThat(xpath.evaluate("/testsuite/@tests", junit)).isEqualTo("8");
        assertThat(xpath.evaluate("count(/testsuite/testcase)", junit)).isEqualTo("8");
        assertThat(xpath.evaluate("/testsuite/@failures", junit)).isEqualTo("3");
        assertThat(xpath.evaluate("/testsuite/properties/property[@name='verdict']/@value", junit)).isEqualTo("fail");
        assertThat(xpath.evaluate("/testsuite/testcase[1]/@name", junit)).isEqualTo("V2__add.sql");
        // The query findings attributed to V2 and V3 are the queries' cases', not the migrations'.
        assertThat(xpath.evaluate("count(/testsuite/testcase[1]/failure)", junit)).isEqualTo("0");
        assertThat(xpath.evaluate("/testsuite/testcase[1]/system-out", junit)).contains("[warning] not-null-scan V2 #1: a scan on " + SHOWN)
                .doesNotContain("plan-regression");
        assertThat(xpath.evaluate("/testsuite/testcase[2]/@name", junit)).isEqualTo("V3__" + SHOWN + ".sql");
        assertThat(xpath.evaluate("/testsuite/testcase[2]/@classname", junit)).isEqualTo("schema-rehearsal.migration");
        assertThat(xpath.evaluate("/testsuite/testcase[2]/failure/@message", junit)).isEqualTo("V3 failed: " + SHOWN);
        assertThat(xpath.evaluate("/testsuite/testcase[2]/failure/@type", junit)).isEqualTo("migration-failed");
        assertThat(xpath.evaluate("count(/testsuite/testcase[2]/failure)", junit)).isEqualTo("1");
        String queries = "/testsuite/testcase[@classname='schema-rehearsal.query']";
        assertThat(xpath.evaluate("count(" + queries + ")", junit)).isEqualTo("3");
        // A warning that matches failOn fails its query's case; an error always does; an unchanged query passes.
        assertThat(xpath.evaluate(queries + "[1]/@name", junit)).isEqualTo(SHOWN);
        assertThat(xpath.evaluate(queries + "[1]/failure/@message", junit)).isEqualTo("Query " + SHOWN + "'s plan got worse");
        assertThat(xpath.evaluate(queries + "[1]/failure/@type", junit)).isEqualTo("plan-regression");
        assertThat(xpath.evaluate(queries + "[2]/@name", junit)).isEqualTo("same");
        assertThat(xpath.evaluate("count(" + queries + "[2]/*)", junit)).isEqualTo("0");
        assertThat(xpath.evaluate(queries + "[3]/@name", junit)).isEqualTo("renamed");
        assertThat(xpath.evaluate(queries + "[3]/failure/@message", junit)).isEqualTo("Query renamed fails after V3: " + SHOWN);
        assertThat(xpath.evaluate("/testsuite/testcase[8]/@name", junit)).isEqualTo("rehearsal");
        assertThat(xpath.evaluate("/testsuite/testcase[8]/system-out", junit)).contains("not-idempotent");
    }

    @Test
    void junitXmlHasACasePerBackfillFailingOnItsErrorOrFailOnFindings() throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        Reports.write(result(List.of(SCAN, SLOW, RERUN), List.of()), config());
        Document junit = parse(reports.resolve(Reports.JUNIT));

        String hostile = "/testsuite/testcase[@classname='schema-rehearsal.backfill'][1]";
        assertThat(xpath.evaluate(hostile + "/@name", junit)).isEqualTo(SHOWN);
        assertThat(xpath.evaluate(hostile + "/@time", junit)).isEqualTo("0.040");
        // The not-idempotent error fails the case whatever failOn says; the slow warning is its output.
        assertThat(xpath.evaluate(hostile + "/failure/@type", junit)).isEqualTo("not-idempotent");
        assertThat(xpath.evaluate(hostile + "/failure/@message", junit)).isEqualTo(RERUN.message().replace('\u0001', '\uFFFD'));
        assertThat(xpath.evaluate(hostile + "/system-out", junit)).contains("[warning] backfill-slow V2: Backfill " + SHOWN);
        assertThat(xpath.evaluate("/testsuite/testcase[@classname='schema-rehearsal.backfill'][2]/@name", junit))
                .isEqualTo("many");
        assertThat(xpath.evaluate("count(/testsuite/testcase[@name='many']/*)", junit)).isEqualTo("0");
        // The backfill's findings are its own, not the migration's it runs after.
        assertThat(xpath.evaluate("/testsuite/testcase[@name='V2__add.sql']/system-out", junit))
                .contains("not-null-scan").doesNotContain("backfill-slow").doesNotContain("changed 7 rows");
        assertThat(xpath.evaluate("/testsuite/@failures", junit)).isEqualTo("1");

        // A warning that matches failOn fails the case too.
        Reports.write(result(List.of(SLOW), List.of(SLOW)), config());
        junit = parse(reports.resolve(Reports.JUNIT));
        assertThat(xpath.evaluate(hostile + "/failure/@type", junit)).isEqualTo("backfill-slow");
        assertThat(xpath.evaluate("/testsuite/@failures", junit)).isEqualTo("1");
    }

    @Test
    void eachBackfillHasItsLatencyAndRowsCharts() throws Exception {
        Reports.write(result(), config());
        Document page = parse(reports.resolve(Reports.HTML));
        XPath xpath = XPathFactory.newInstance().newXPath();

        assertThat(xpath.evaluate("//h3[starts-with(., 'Backfill ')][1]", page))
                .isEqualTo("Backfill " + SHOWN + ": 2 batches, 37,500 rows/s");
        String latency = "//svg[@id='backfill-1-latency']";
        assertThat(xpath.evaluate(latency + "/title", page))
                .isEqualTo("Batch latency and the longest probe stall per batch (ms) of " + SHOWN);
        assertThat(xpath.evaluate("count(" + latency + "/rect[@class='batch'])", page)).isEqualTo("2");
        // The x axis counts batches done: 0, half of them, all.
        for (String[] tick : new String[][] {{"start", "0"}, {"middle", "1"}, {"end", "2 batches"}}) {
            assertThat(xpath.evaluate(latency + "/text[@y='186.0'][@text-anchor='" + tick[0] + "']", page))
                    .isEqualTo(tick[1]);
        }
        assertThat(xpath.evaluate(latency + "/rect[@class='batch'][2]/title", page))
                .isEqualTo("batch 2: 15 ms, probe stall 900 ms, 500 rows");
        // The stall a level stretch over each batch; the y scale reaches the 900 ms stall, so its bar is lower.
        String[] stall = xpath.evaluate(latency + "/polyline[@class='stall']/@points", page).split(" ");
        assertThat(stall).hasSize(4);
        assertThat(Double.parseDouble(stall[2].split(",")[1])).isLessThan(Double.parseDouble(
                xpath.evaluate(latency + "/rect[@class='batch'][2]/@y", page)));
        // Rows done over batch time: the origin and one point per batch, ending at all rows.
        String[] rows = xpath.evaluate("//svg[@id='backfill-1-rows']/polyline[@class='rows']/@points", page).split(" ");
        assertThat(rows).hasSize(3);
        assertThat(xpath.evaluate("//svg[@id='backfill-1-rows']/polyline/title", page))
                .isEqualTo("1,500 rows in 40 ms of batches");

        // 500 batches are drawn in groups of 3, each its slowest batch and longest stall.
        assertThat(xpath.evaluate("count(//svg[@id='backfill-2-latency']/rect)", page)).isEqualTo("167");
        assertThat(xpath.evaluate("//svg[@id='backfill-2-latency']/rect[84]/title", page))
                .isEqualTo("batches 250–252, slowest: 2 ms, probe stall 4 ms, 30 rows");
        assertThat(xpath.evaluate("//svg[@id='backfill-2-latency']/following-sibling::svg[1]/following-sibling::p[1]",
                page)).isEqualTo("500 batches drawn in 167 bars, each the slowest batch and the longest stall of its group.");
    }

    @Test
    void markdownListsTheQueriesWhosePlanChangedOrFailed() throws Exception {
        Reports.write(result(), config());
        String md = Files.readString(reports.resolve(Reports.MARKDOWN));

        assertThat(md).contains("| query | plan | after | what changed |")
                .contains("| renamed | failed | V3 | \\<script\\>")
                .contains(" | regressed | V2 | orders is now read in full where \\<script\\>")
                .doesNotContain("| same |");
        // Failed first, then regressed.
        assertThat(md.indexOf("| renamed |")).isLessThan(md.indexOf("| regressed |"));
    }

    @Test
    void sarifLocatesEachFindingAtItsScriptAndLine() throws Exception {
        Reports.write(result(), config());
        JsonNode sarif = new ObjectMapper().readTree(reports.resolve(Reports.SARIF).toFile());

        assertThat(sarif.at("/version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.at("/$schema").asText()).endsWith("sarif-schema-2.1.0.json");
        assertThat(sarif.at("/runs/0/tool/driver/name").asText()).isEqualTo("schema-rehearsal");
        JsonNode results = sarif.at("/runs/0/results");
        assertThat(results).hasSize(3);
        // V3's script is no file in the project: the finding stays, unlocated.
        assertThat(results.get(0).at("/ruleId").asText()).isEqualTo("migration-failed");
        assertThat(results.get(0).at("/level").asText()).isEqualTo("error");
        assertThat(results.get(0).at("/message/text").asText()).isEqualTo("V3 failed: " + HOSTILE);
        assertThat(results.get(0).at("/locations")).isEmpty();
        JsonNode located = results.get(1);
        assertThat(located.at("/ruleId").asText()).isEqualTo("not-null-scan");
        assertThat(located.at("/level").asText()).isEqualTo("warning");
        assertThat(located.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("src/main/resources/db/migration/V2__add.sql");
        assertThat(located.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(4);
        assertThat(sarif.at("/runs/0/tool/driver/rules/" + located.at("/ruleIndex").asInt() + "/id").asText())
                .isEqualTo("not-null-scan");
    }

    @Test
    void sarifTakesAnyProducersLocatedFindings(@TempDir Path dir) throws Exception {
        Finding lint = new Finding(Rule.INDEX_NOT_CONCURRENT, Severity.WARNING, "5", 1, "orders", null, "CREATE INDEX without CONCURRENTLY");
        Finding info = new Finding(Rule.PLAN_CHANGED, Severity.INFO, null, null, null, "q1", "plan changed");
        Path file = dir.resolve("lint.sarif");
        Sarif.write("schema-lint", "2.0", List.of(new Sarif.Located(lint, "db/V5__i.sql", 7),
                new Sarif.Located(info, "queries.sql", null)), null, file);
        JsonNode sarif = new ObjectMapper().readTree(file.toFile());

        assertThat(sarif.at("/runs/0/tool/driver/name").asText()).isEqualTo("schema-lint");
        assertThat(sarif.at("/runs/0/tool/driver/version").asText()).isEqualTo("2.0");
        assertThat(sarif.at("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("db/V5__i.sql");
        assertThat(sarif.at("/runs/0/results/0/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(7);
        assertThat(sarif.at("/runs/0/results/1/level").asText()).isEqualTo("note");
        assertThat(sarif.at("/runs/0/results/1/locations/0/physicalLocation").has("region")).isFalse();
        assertThat(sarif.at("/runs/0/results/1/properties/query").asText()).isEqualTo("q1");
    }

    @Test
    void markdownFitsAPullRequestCommentAndKeepsValuesAsText() throws Exception {
        List<Finding> many = new ArrayList<>(List.of(FAILED, SCAN));
        for (int i = 0; i < 20; i++) {
            many.add(Finding.ofMigration(Rule.DESTRUCTIVE_CHANGE, "2", 1, "t", "dropped " + i));
        }
        Reports.write(result(many, List.of(FAILED)), config());
        String md = Files.readString(reports.resolve(Reports.MARKDOWN));

        assertThat(md).startsWith("## Schema rehearsal: ❌ FAIL\n")
                .contains("1 error, 21 warning, 0 info · 2 pending migration(s) · postgresql 15.14 (embedded shadow)")
                .contains("1 finding(s) match `failOn`: the build fails.")
                .contains("| severity | rule | where | message |")
                .contains("| error | `migration-failed` | V3 | V3 failed: ")
                .contains("…and 7 more finding(s) in the full report.")
                .contains("[report.html](report.html)")
                .doesNotContain("<script>").doesNotContainPattern("(?<!\\\\)\\]\\(http");
        List<String> findingRows = md.lines().filter(l -> l.startsWith("| error") || l.startsWith("| warning")).toList();
        assertThat(findingRows).hasSize(MarkdownSummary.MAX_FINDINGS);
        // Every row keeps its five cells: a pipe inside a value is escaped.
        assertThat(findingRows).allMatch(l -> l.replace("\\|", "").chars().filter(c -> c == '|').count() == 6);
        assertThat(MarkdownSummary.escape("a|b <c> *d* [e](f)\nnext")).isEqualTo("a\\|b \\<c\\> \\*d\\* \\[e\\](f) next");
    }

    @Test
    void xmlTextReplacesWhatNoXmlMayHold() {
        assertThat(XmlText.clean("a\u0000b\u001Fc\td\n\uD83D\uDE00\uD800")).isEqualTo("a\uFFFDb\uFFFDc\td\n\uD83D\uDE00\uFFFD");
        String plain = "nothing to replace";
        assertThat(XmlText.clean(plain)).isSameAs(plain);
    }

    @Test
    void aMigrationsSizeChangeIsSaidPerTableWithProductionsWhereItDiffers() {
        RehearsalResult.MigrationResult migration = new RehearsalResult.MigrationResult("3", "x", "V3__x.sql",
                RehearsalResult.MigrationStatus.APPLIED, 10, null, List.of(), List.of(), List.of(), List.of(
                new RehearsalResult.SizeChange("orders", null, 10L << 20, 25L << 20).atProduction(100),
                new RehearsalResult.SizeChange("orders", "orders_pkey", 1L << 20, 2L << 20),
                new RehearsalResult.SizeChange("notes", null, 40_960, 0).atProduction(1)));
        assertThat(Reports.sizeChange(migration)).isEqualTo(
                "orders +15 MB (10 MB → 25 MB), at production +1.5 GB; notes -40 kB (40 kB → 0 B)");
        assertThat(Reports.bytes(1536)).isEqualTo("1.5 kB");
        assertThat(Reports.sizeChange(new RehearsalResult.MigrationResult("4", "y", "V4__y.sql",
                RehearsalResult.MigrationStatus.APPLIED, 1, null))).isEqualTo("–");
    }
}
