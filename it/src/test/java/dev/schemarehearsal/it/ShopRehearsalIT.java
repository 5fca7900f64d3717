package dev.schemarehearsal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The shop fixture rehearsed end to end by real Maven builds, on each kind of shadow. Its V4 and V5 are risky on
 * purpose, so the verdict is fail; failOn=none keeps these builds green.
 */
class ShopRehearsalIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MavenBuild embedded;
    private static MavenBuild.Result embeddedResult;

    /** One rehearsal on embedded PostgreSQL, run once for all the tests of its outputs. */
    private static synchronized MavenBuild embedded() throws Exception {
        if (embedded == null) {
            MavenBuild build = MavenBuild.of("shop", "shop-embedded").arg("-Dschema.shadow=embedded")
                    .arg("-Dschema.failOn=none").arg("-Dschema.requireRationale=true");
            embeddedResult = build.run();
            embedded = build;
        }
        return embedded;
    }

    @Test
    void embeddedPostgres() throws Exception {
        MavenBuild build = embedded();
        MavenBuild.Result result = embeddedResult;

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Shadow: embedded (<shadow>embedded</shadow> is set)");
        JsonNode report = assertShopReport(build, "embedded", "postgresql", "15.");
        assertThat(report.at("/phases/0/durationMs").asLong()).isPositive();
        assertLintAndRecords(build, report);

        // The log ends with the verdict, the counts by severity and every report's path.
        List<JsonNode> findings = new ArrayList<>();
        report.get("findings").forEach(findings::add);
        String counts = count(findings, "error") + " error, " + count(findings, "warning") + " warning, "
                + count(findings, "info") + " info";
        String log = result.log();
        String summary = log.substring(log.lastIndexOf("Schema rehearsal verdict:"));
        assertThat(summary).startsWith("Schema rehearsal verdict: FAIL (" + counts + ")");
        for (String file : List.of("report.html", "report.json", "TEST-schema-rehearsal.xml", "summary.md", "findings.sarif")) {
            assertThat(build.report(file)).isRegularFile();
            assertThat(summary).contains("[INFO]   " + build.report(file));
        }

        // The probe timeline: every traced statement marked, probes of both kinds, fewer points than probes ran.
        int statements = 0;
        for (JsonNode migration : report.get("migrations")) {
            statements += migration.get("statements").size();
        }
        JsonNode timeline = report.get("timeline");
        assertThat(timeline.get("statements")).hasSize(statements);
        assertThat(names(timeline.get("statements"), "script")).contains("V4__orders_tracking_code.sql");
        assertThat(names(timeline.get("probes"), "kind")).contains("read", "write");
        assertThat(timeline.get("probesRun").asInt()).isGreaterThan(timeline.get("probes").size());
        long longestStall = 0;
        for (JsonNode migration : report.get("migrations")) {
            for (JsonNode statement : migration.get("statements")) {
                longestStall = Math.max(longestStall, statement.get("probeStallMs").asLong());
            }
        }
        long slowestProbe = 0;
        for (JsonNode probe : timeline.get("probes")) {
            slowestProbe = Math.max(slowestProbe, probe.get("latencyMs").asLong());
        }
        assertThat(slowestProbe).as("downsampling keeps the slowest probe").isGreaterThanOrEqualTo(longestStall);

        // The costliest script first in every output: V4 rewrites orders (120 million rows in production) while
        // reads and writes wait.
        JsonNode first = report.at("/findings/0");
        assertThat(first.get("migration").asText()).isEqualTo("4");
        assertThat(first.get("impactMs").asLong()).isPositive();
        for (JsonNode finding : report.get("findings")) {
            assertThat(finding.get("impactMs").asLong()).isLessThanOrEqualTo(first.get("impactMs").asLong());
        }
        JsonNode window = report.at("/migrations/0/windows/0");
        assertThat(window.get("table").asText()).isEqualTo("orders");
        assertThat(window.get("mode").asText()).isEqualTo("AccessExclusiveLock");
        assertThat(first.get("impactMs").asLong()).isEqualTo(window.get("estimatedProductionMs").asLong());
        // The window's estimate rests on the calibrated estimate of the rewrite under it.
        assertThat(window.get("estimateBasis").asText())
                .contains(report.at("/migrations/0/statements/0/estimateBasis").asText());
        assertThat(window.at("/estimatedProductionRange/low").asLong())
                .isLessThanOrEqualTo(window.get("estimatedProductionMs").asLong());
        assertThat(window.at("/estimatedProductionRange/high").asLong())
                .isGreaterThanOrEqualTo(window.get("estimatedProductionMs").asLong());
        String firstLogged = summary.lines().filter(l -> l.startsWith("[ERROR]   [") || l.startsWith("[WARNING]   ["))
                .findFirst().orElseThrow();
        assertThat(firstLogged).contains(first.get("message").asText()).contains("production blocked about");
        String md = Files.readString(build.report("summary.md"));
        assertThat(md.lines().filter(l -> l.startsWith("| error |") || l.startsWith("| warning |")).findFirst()
                .orElseThrow()).contains("| V4 \\#");
        String html = Files.readString(build.report("report.html"));
        String top = html.substring(html.indexOf("id=\"top-findings\""));
        assertThat(top.substring(top.indexOf("<li"), top.indexOf("</li>"))).contains("V4 #");
        JsonNode sarif = JSON.readTree(build.report("findings.sarif").toFile());
        assertThat(sarif.at("/runs/0/results/0/ruleId").asText()).isEqualTo(first.get("rule").asText());
        assertThat(sarif.at("/runs/0/results/0/message/text").asText()).isEqualTo(first.get("message").asText());
    }

    @Test
    void junitXmlHasACasePerMigrationBackfillAndQueryFailingOnItsErrors() throws Exception {
        MavenBuild build = embedded();
        JsonNode report = JSON.readTree(build.report("report.json").toFile());
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(build.report("TEST-schema-rehearsal.xml").toFile());
        XPath xpath = XPathFactory.newInstance().newXPath();

        assertThat(xpath.evaluate("/testsuite/@name", junit)).isEqualTo("schema-rehearsal");
        assertThat(xpath.evaluate("/testsuite/@tests", junit)).isEqualTo(xpath.evaluate("count(/testsuite/testcase)", junit));
        // V4, V5, V6, the loyalty tier backfill and the 11 queries.
        assertThat(xpath.evaluate("count(/testsuite/testcase[@classname='schema-rehearsal.migration'])", junit)).isEqualTo("3");
        assertThat(xpath.evaluate("count(/testsuite/testcase[@classname='schema-rehearsal.backfill'])", junit)).isEqualTo("1");
        // The shop's 11 queries keep their plans: a case each, none failing.
        assertThat(xpath.evaluate("count(/testsuite/testcase[@classname='schema-rehearsal.query'])", junit)).isEqualTo("11");
        assertThat(xpath.evaluate("count(/testsuite/testcase[@classname='schema-rehearsal.query']/failure)", junit)).isEqualTo("0");
        assertThat(xpath.evaluate("/testsuite/properties/property[@name='verdict']/@value", junit)).isEqualTo("fail");
        int failures = 0;
        for (JsonNode migration : report.get("migrations")) {
            String testcase = "/testsuite/testcase[@name='" + migration.get("script").asText() + "']";
            assertThat(xpath.evaluate("count(" + testcase + ")", junit)).isEqualTo("1");
            assertThat(xpath.evaluate(testcase + "/@classname", junit)).isEqualTo("schema-rehearsal.migration");
            JsonNode firstError = null;
            for (JsonNode finding : report.get("findings")) {
                if (firstError == null && finding.get("migration").asText().equals(migration.get("version").asText())
                        && finding.get("severity").asText().equals("error") && !aboutTheBackfill(finding)) {
                    firstError = finding;
                }
            }
            if (firstError == null) {
                assertThat(xpath.evaluate("count(" + testcase + "/failure)", junit)).isEqualTo("0");
            } else {
                failures++;
                assertThat(xpath.evaluate(testcase + "/failure/@message", junit)).isEqualTo(firstError.get("message").asText());
                assertThat(xpath.evaluate(testcase + "/failure/@type", junit)).isEqualTo(firstError.get("rule").asText());
            }
        }
        // V4's volatile default rewrites orders: at least that migration fails.
        assertThat(failures).isPositive();

        // The backfill's case has its findings, not V6's; it fails on an error among them (failOn is none).
        String backfill = "/testsuite/testcase[@classname='schema-rehearsal.backfill']";
        assertThat(xpath.evaluate(backfill + "/@name", junit)).isEqualTo("customers_loyalty_tier");
        assertThat(Double.parseDouble(xpath.evaluate(backfill + "/@time", junit)) * 1000)
                .isCloseTo(report.at("/backfills/0/durationMs").asDouble(), within(0.5));
        List<JsonNode> backfillFindings = new ArrayList<>();
        report.get("findings").forEach(f -> {
            if (aboutTheBackfill(f)) {
                backfillFindings.add(f);
            }
        });
        JsonNode backfillError = backfillFindings.stream().filter(f -> f.get("severity").asText().equals("error"))
                .findFirst().orElse(null);
        if (backfillError == null) {
            assertThat(xpath.evaluate("count(" + backfill + "/failure)", junit)).isEqualTo("0");
        } else {
            failures++;
            assertThat(xpath.evaluate(backfill + "/failure/@type", junit)).isEqualTo(backfillError.get("rule").asText());
        }
        for (JsonNode finding : backfillFindings) {
            assertThat(xpath.evaluate(backfill, junit)).contains(finding.get("message").asText());
        }
        assertThat(xpath.evaluate("/testsuite/@failures", junit)).isEqualTo(Integer.toString(failures));

        // report.html charts it: a bar per batch, the stall line over them, and rows done over time.
        String html = Files.readString(build.report("report.html"));
        assertThat(html).contains("<svg id=\"backfill-1-latency\"").contains("<svg id=\"backfill-1-rows\"");
        assertThat(html.split("<rect class=\"batch\"", -1)).hasSize(report.at("/backfills/0/batches").asInt() + 1);
    }

    private static boolean aboutTheBackfill(JsonNode finding) {
        return List.of("backfill-slow", "backfill-unverified", "not-idempotent").contains(finding.get("rule").asText())
                && finding.get("message").asText().startsWith("Backfill customers_loyalty_tier ");
    }

    @Test
    void sarifLocatesEachFindingAtItsStatementsLine() throws Exception {
        MavenBuild build = embedded();
        JsonNode report = JSON.readTree(build.report("report.json").toFile());
        JsonNode sarif = JSON.readTree(build.report("findings.sarif").toFile());

        assertThat(sarif.at("/version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.at("/$schema").asText()).isEqualTo("https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json");
        assertThat(sarif.at("/runs/0/tool/driver/name").asText()).isEqualTo("schema-rehearsal");
        JsonNode results = sarif.at("/runs/0/results");
        assertThat(results).hasSize(report.get("findings").size());
        for (int i = 0; i < results.size(); i++) {
            JsonNode finding = report.get("findings").get(i);
            JsonNode result = results.get(i);
            assertThat(result.get("ruleId").asText()).isEqualTo(finding.get("rule").asText());
            assertThat(result.at("/message/text").asText()).isEqualTo(finding.get("message").asText());
            JsonNode migration = null;
            for (JsonNode m : report.get("migrations")) {
                if (m.get("version").asText().equals(finding.get("migration").asText())) {
                    migration = m;
                }
            }
            String uri = result.at("/locations/0/physicalLocation/artifactLocation/uri").asText();
            assertThat(uri).isEqualTo("src/main/resources/db/migration/" + migration.get("script").asText());
            if (!finding.get("statement").isNull()) {
                JsonNode statement = migration.get("statements").get(finding.get("statement").asInt() - 1);
                int line = result.at("/locations/0/physicalLocation/region/startLine").asInt();
                // The statement starts at its line, and the result marks its first line of code, past its comments.
                assertThat(line).isGreaterThanOrEqualTo(statement.get("line").asInt());
                assertThat(Files.readAllLines(build.project().resolve(uri)).get(line - 1).strip())
                        .isIn(code(statement.get("sql").asText()), code(statement.get("sql").asText()) + ";");
            }
        }
    }

    @Test
    void summaryMarkdownHasTheVerdictFindingsTableAndLink() throws Exception {
        MavenBuild build = embedded();
        JsonNode report = JSON.readTree(build.report("report.json").toFile());
        String md = Files.readString(build.report("summary.md"));

        assertThat(md).startsWith("## Schema rehearsal: ❌ FAIL\n")
                .contains("| severity | rule | where | message |")
                .contains("No finding matches `failOn`: the build passes.")
                .contains("| V4\\_\\_orders\\_tracking\\_code.sql | applied |")
                .contains("[report.html](report.html)");
        for (JsonNode finding : report.get("findings")) {
            assertThat(md).contains("| " + finding.get("severity").asText() + " | `" + finding.get("rule").asText() + "` | V"
                    + finding.get("migration").asText());
        }
        assertThat(md.length()).as("fits a pull-request comment").isLessThan(65_536);
    }

    /** Chromium renders the report: a page with content, the verdict's banner at the top. */
    @Test
    void reportRendersInChromium() throws Exception {
        MavenBuild build = embedded();
        // Tall enough for the probe timeline below the three migrations' statements and lock windows.
        BufferedImage shot = Chromium.screenshot(build.report("report.html"), build.project().resolve("report.png"), 1280, 3200);

        int colours = Chromium.distinctColours(shot);
        int white = Chromium.pixelsNear(shot, 0xFFFFFF, 0, 0, shot.getHeight());
        double content = 1 - (double) white / (shot.getWidth() * shot.getHeight());
        int verdictTop = Chromium.pixelsNear(shot, FAIL_RED, 6, 0, 300);
        int readLine = Chromium.pixelsNear(shot, 0x0969da, 24, 0, shot.getHeight());
        int writeLine = Chromium.pixelsNear(shot, 0xd4700a, 24, 0, shot.getHeight());
        System.out.printf("report.html screenshot %dx%d: %d distinct colours, %.1f%% non-white, %d verdict-red pixels in the"
                + " top 300 px, %d read-blue and %d write-orange pixels%n", shot.getWidth(), shot.getHeight(), colours,
                content * 100, verdictTop, readLine, writeLine);

        assertThat(colours).as("distinct colours").isGreaterThan(100);
        assertThat(content).as("share of non-white pixels").isGreaterThan(0.03);
        // The FAIL banner: a full-width red block of about 80 px.
        assertThat(verdictTop).as("verdict red in the top 300 px").isGreaterThan(20_000);
        assertThat(writeLine).as("the timeline's write probes").isPositive();
    }

    private static final int FAIL_RED = 0xcf222e;

    /** The first line of code, comments and blank lines skipped. */
    private static String code(String sql) {
        return sql.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("--")).findFirst().orElseThrow();
    }

    private static long count(List<JsonNode> findings, String severity) {
        return findings.stream().filter(f -> f.get("severity").asText().equals(severity)).count();
    }

    @Test
    void autoChoosesEmbeddedWhenNoDockerEngineAnswers() throws Exception {
        MavenBuild build = MavenBuild.of("shop", "shop-auto-no-docker").withoutDocker().arg("-Dschema.failOn=none");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Shadow: embedded (auto: no Docker engine answers, embedded PostgreSQL needs none)");
        assertShopReport(build, "embedded", "postgresql", "15.");
    }

    @Test
    void autoChoosesAContainerWhenDockerAnswers() throws Exception {
        MavenBuild build = MavenBuild.of("shop", "shop-auto-container").arg("-Dschema.failOn=none");
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Shadow: container (auto: a Docker engine answers)")
                .contains("Shadow started: container postgres:15");
        assertShopReport(build, "container", "postgresql", "15.");
        assertThat(Leftovers.shadowContainers()).isEmpty();
    }

    @Test
    void mariadbContainer() throws Exception {
        MavenBuild build = MavenBuild.of("shop-mariadb", "shop-mariadb-container")
                .arg("-Dschema.shadow=container")
                .arg("-Dschema.failOn=none")
                .arg("-Dschema.data=" + MavenBuild.FIXTURES.resolve("shop/src/rehearsal/data"));
        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Shadow started: container mariadb:10.11");
        assertShopReport(build, "container", "mariadb", "10.11.");
        assertThat(Leftovers.shadowContainers()).isEmpty();
    }

    /**
     * The report.json of a shop rehearsal: every SPEC top-level field, the data, the three pending migrations traced
     * statement by statement, and the findings the risky V4 (and, where locks are measured, V5) must raise.
     */
    private static JsonNode assertShopReport(MavenBuild build, String kind, String engine, String versionPrefix) throws IOException {
        assertThat(build.report("report.html")).isRegularFile();
        assertThat(Files.readString(build.report("report.html"))).contains("id=\"verdict\"").contains("FAIL");
        JsonNode report = JSON.readTree(build.report("report.json").toFile());

        assertThat(report.at("/tool/name").asText()).isEqualTo("schema-rehearsal");
        assertThat(report.at("/tool/version").asText()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(report.at("/verdict").asText()).isEqualTo("fail");
        assertThat(report.at("/shadow/kind").asText()).isEqualTo(kind);
        assertThat(report.at("/shadow/engine").asText()).isEqualTo(engine);
        assertThat(report.at("/shadow/version").asText()).startsWith(versionPrefix);
        assertThat(names(report.get("phases"), "name"))
                .containsExactly("start", "baseline", "load", "plans-before", "migrate", "backfill", "estimate",
                        "plans-after", "report");
        assertThat(report.at("/shadow/reason").asText()).isNotBlank();
        // src/rehearsal/queries.sql: every query planned before and after.
        assertThat(names(report.get("queries"), "name")).hasSize(11).startsWith("customer_order_history");
        assertThat(report.at("/queries/0/before/plan/nodeType").asText()).isNotEmpty();
        assertThat(report.at("/queries/0/after/plan/nodeType").asText()).isNotEmpty();

        assertThat(names(report.at("/data/tables"), "table"))
                .containsExactly("customers", "orders", "products", "order_items");
        assertThat(names(report.at("/data/tables"), "rows")).containsExactly("10000", "40000", "1000", "100000");

        JsonNode migrations = report.get("migrations");
        assertThat(names(migrations, "version")).containsExactly("4", "5", "6");
        assertThat(names(migrations, "status")).containsOnly("applied");
        assertThat(names(migrations, "script")).containsExactly("V4__orders_tracking_code.sql",
                "V5__index_tracking_code.sql", "V6__customers_loyalty_tier.sql");
        assertThat(report.at("/migrations/0/statements/0/rewrites/0").asText()).isEqualTo("orders");
        // stats.json: orders has 120,000,000 rows in production against 40,000 in the sample. The rewrite was measured
        // on copies of the sample at three sizes and fitted; at production it reads every one of those rows at least.
        JsonNode rewrite = report.at("/migrations/0/statements/0");
        assertThat(rewrite.get("estimateBasis").asText()).startsWith("fit on 3 sizes (");
        Matcher read = Pattern.compile("([0-9,]+) rows read at production").matcher(rewrite.get("estimateBasis").asText());
        assertThat(read.find()).isTrue();
        assertThat(Long.parseLong(read.group(1).replace(",", ""))).isGreaterThanOrEqualTo(120_000_000L);
        assertThat(rewrite.at("/estimatedProductionRange/low").asLong())
                .isLessThanOrEqualTo(rewrite.get("estimatedProductionMs").asLong());
        assertThat(rewrite.at("/estimatedProductionRange/high").asLong())
                .isGreaterThanOrEqualTo(rewrite.get("estimatedProductionMs").asLong());
        // The loyalty tier backfill ran after V6 over the 10,000 customers in batches of 2,000, and holds.
        JsonNode backfill = report.at("/backfills/0");
        assertThat(backfill.get("name").asText()).isEqualTo("customers_loyalty_tier");
        assertThat(backfill.get("after").asText()).isEqualTo("6");
        assertThat(backfill.get("batches").asInt()).isEqualTo(5);
        assertThat(backfill.get("rows").asLong()).isEqualTo(10_000);
        assertThat(backfill.get("verified").asBoolean()).isTrue();
        assertThat(backfill.get("rerunRows").asLong()).isZero();
        assertThat(backfill.get("productionRows").asLong()).isEqualTo(2_400_000);
        assertThat(backfill.get("estimatedProductionMs").isNumber()).isTrue();
        List<String> findings = new ArrayList<>();
        report.get("findings").forEach(f -> findings.add(f.get("rule").asText() + " " + f.get("migration").asText()));
        // MariaDB's V5 asks for LOCK=SHARED: the algorithm tried on a copy of orders says it blocks writes.
        assertThat(findings).contains("table-rewrite 4", "volatile-default 4", "index-not-concurrent 5");
        if (engine.equals("postgresql")) {
            assertThat(findings).contains("index-not-concurrent 5");
            // V4's lock outlasts maxLockMs at production size; on a busy machine it already does on the shadow,
            // and then it is blocking-lock's finding instead.
            assertThat(findings).containsAnyOf("long-lock-at-scale 4", "blocking-lock 4");
        } else {
            // Failed on purpose after its ALTER on a scratch copy, V6 leaves the column: DDL commits on its own.
            assertThat(findings).contains("non-atomic-migration 6");
            assertThat(report.at("/migrations/1/statements/0/algorithm").asText()).isEqualTo("NOCOPY, LOCK=SHARED");
        }
        // The tracking code makes orders 16 bytes a row wider, which moves no plan past the thresholds.
        assertThat(names(report.get("queries"), "change")).containsOnly("unchanged");
        return report;
    }

    /**
     * The lint that ran first, where it disagrees with the measurement, and the migration records: the shop's
     * migrations carry no '-- why:' header, so requireRationale raises missing-rationale for each.
     */
    private static void assertLintAndRecords(MavenBuild build, JsonNode report) throws IOException {
        List<String> findings = new ArrayList<>();
        report.get("findings").forEach(f -> findings.add(f.get("rule").asText() + " " + f.get("migration").asText()));
        assertThat(findings).contains("missing-rationale 4", "missing-rationale 5", "missing-rationale 6");
        List<String> lint = new ArrayList<>();
        report.at("/lint/findings").forEach(f -> lint.add(f.at("/finding/rule").asText() + " "
                + f.at("/finding/migration").asText() + " " + f.at("/line").asInt()));
        assertThat(lint).contains("volatile-default 4 9", "table-rewrite 4 9", "index-not-concurrent 5 6");
        // V4's rewrite and volatile default and V5's blocking index build were predicted and measured alike.
        List<String> disagreements = new ArrayList<>();
        report.get("disagreements").forEach(d -> disagreements.add(d.get("rule").asText() + " " + d.get("migration").asText()));
        assertThat(disagreements).doesNotContain("table-rewrite 4", "volatile-default 4", "index-not-concurrent 5");
        report.get("disagreements").forEach(d -> assertThat(d.has("lint") && d.has("measurement") && d.has("sql")).isTrue());
        assertThat(names(report.at("/lint/records"), "version")).containsExactly("4", "5", "6");
        assertThat(Files.readString(build.report("report.html"))).contains("Migration records")
                .contains("href=\"#statements-V4__orders_tracking_code.sql\"");
    }

    static List<String> names(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.get(field).asText()));
        return values;
    }
}
