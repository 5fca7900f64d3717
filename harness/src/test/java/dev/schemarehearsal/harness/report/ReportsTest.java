package dev.schemarehearsal.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.QueryResult;
import dev.schemarehearsal.harness.api.QueryResult.Change;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.Access;
import dev.schemarehearsal.harness.api.RehearsalResult.Destroyed;
import dev.schemarehearsal.harness.api.RehearsalResult.Lock;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
import dev.schemarehearsal.harness.api.RehearsalResult.StatementResult;
import dev.schemarehearsal.harness.api.Rule;
import dev.schemarehearsal.harness.api.ShadowKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportsTest {
    private static final String HOSTILE = "<img src=x onerror=alert(1)>\"'&";

    private static RehearsalResult result() {
        Finding finding = Finding.ofMigration(Rule.MIGRATION_FAILED, "2", null, HOSTILE, "V2 failed: " + HOSTILE);
        return new RehearsalResult(new RehearsalResult.Tool("schema-rehearsal", "1.0"), RehearsalResult.Verdict.FAIL,
                new RehearsalResult.Shadow(ShadowKind.EMBEDDED, Engine.POSTGRESQL, "15.14", "auto: " + HOSTILE),
                List.of(new RehearsalResult.Phase("start", 12)),
                new RehearsalResult.Data(List.of(new RehearsalResult.TableLoad(HOSTILE, HOSTILE + ".csv", 3, 4))),
                List.of(new MigrationResult("2", HOSTILE, "V2__" + HOSTILE + ".sql", MigrationStatus.FAILED, 5, HOSTILE,
                        List.of(new StatementResult(1, 3, "ALTER TABLE t ADD COLUMN c text DEFAULT '" + HOSTILE + "'", 7,
                                List.of(new Lock(HOSTILE, "AccessExclusiveLock", List.of(Access.READS, Access.WRITES), 9)),
                                List.of(HOSTILE), List.of(HOSTILE), List.of(new Destroyed(HOSTILE, "c", "bigint", "integer")), 11, null, 0L,
                                false, null)))),
                List.of(finding), List.of(finding),
                List.of(new QueryResult(HOSTILE, plan(8.3, "Index Scan", "orders_status_idx", false),
                        plan(3471.0, "Seq Scan", null, true), Change.REGRESSED,
                        List.of("orders is now read in full where " + HOSTILE + " served before"), "2", null)));
    }

    private static QueryResult.Plan plan(double cost, String type, String index, boolean fullScan) {
        return new QueryResult.Plan(new PlanNode("Limit", null, null, null, false, null, 1.0, cost, null, null,
                List.of(new PlanNode(type, "orders", index, null, fullScan, "Filter: (status = 'x')", 1.0, cost,
                        null, null, List.of()))), cost, null, null);
    }

    @Test
    void jsonCarriesTheSpecFieldsInLowerCase(@TempDir Path dir) throws Exception {
        Reports.write(result(), dir);
        JsonNode json = new ObjectMapper().readTree(dir.resolve(Reports.JSON).toFile());

        assertThat(json.at("/verdict").asText()).isEqualTo("fail");
        assertThat(json.at("/shadow/kind").asText()).isEqualTo("embedded");
        assertThat(json.at("/shadow/engine").asText()).isEqualTo("postgresql");
        assertThat(json.at("/migrations/0/status").asText()).isEqualTo("failed");
        assertThat(json.at("/findings/0/rule").asText()).isEqualTo("migration-failed");
        assertThat(json.at("/findings/0/severity").asText()).isEqualTo("error");
        assertThat(json.at("/findings/0/table").asText()).isEqualTo(HOSTILE);
        assertThat(json.at("/data/tables/0/rows").asLong()).isEqualTo(3);
        JsonNode statement = json.at("/migrations/0/statements/0");
        assertThat(statement.at("/index").asInt()).isEqualTo(1);
        assertThat(statement.at("/durationMs").asLong()).isEqualTo(7);
        assertThat(statement.at("/locks/0/mode").asText()).isEqualTo("AccessExclusiveLock");
        assertThat(statement.at("/locks/0/blocks").toString()).isEqualTo("[\"reads\",\"writes\"]");
        assertThat(statement.at("/locks/0/heldMs").asLong()).isEqualTo(9);
        assertThat(statement.at("/rewrites/0").asText()).isEqualTo(HOSTILE);
        assertThat(statement.at("/probeStallMs").asLong()).isEqualTo(11);
        assertThat(statement.has("estimatedProductionMs")).isTrue();
        assertThat(statement.at("/destroyed/0/from").asText()).isEqualTo("bigint");

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

    @Test
    void htmlIsWellFormedAndHostileNamesStayText(@TempDir Path dir) throws Exception {
        Reports.write(result(), dir);
        String html = Files.readString(dir.resolve(Reports.HTML));
        assertThat(html).doesNotContain("<img").doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");

        // The page parses as XML once the doctype is dropped: every element the writer opened, it closed.
        Document page = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(html.replace("<!DOCTYPE html>", "")
                        .replace("<meta charset=\"utf-8\">", "<meta charset=\"utf-8\"/>").getBytes()));
        var xpath = XPathFactory.newInstance().newXPath();
        assertThat(xpath.evaluate("//span[@id='verdict']", page)).isEqualTo("FAIL");
        assertThat(xpath.evaluate("count(//img)", page)).isEqualTo("0");
        assertThat(xpath.evaluate("//table[1]//tr[2]/td[6]", page)).isEqualTo("V2 failed: " + HOSTILE);
        assertThat(xpath.evaluate("//h3/following-sibling::table[1]//tr[2]/td[3]", page))
                .isEqualTo("ALTER TABLE t ADD COLUMN c text DEFAULT '" + HOSTILE + "'");
        assertThat(xpath.evaluate("//h3/following-sibling::table[1]//tr[2]/td[5]", page))
                .isEqualTo(HOSTILE + ": AccessExclusiveLock, blocks reads and writes, held 9 ms");
        assertThat(xpath.evaluate("//h3/following-sibling::table[1]//tr[2]/td[8]", page))
                .isEqualTo(HOSTILE + ".c: bigint → integer");
        String queries = "//h2[starts-with(., 'Query plans')]/following-sibling::table[1]//tr[2]";
        assertThat(xpath.evaluate(queries + "/td[1]", page)).isEqualTo(HOSTILE);
        assertThat(xpath.evaluate(queries + "/td[2]", page)).isEqualTo("regressed");
        assertThat(xpath.evaluate(queries + "/td[3]", page)).isEqualTo("8.30");
        assertThat(xpath.evaluate(queries + "/td[4]", page)).isEqualTo("3,471.00");
    }
}
