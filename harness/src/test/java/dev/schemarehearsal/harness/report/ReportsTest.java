package dev.schemarehearsal.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationResult;
import dev.schemarehearsal.harness.api.RehearsalResult.MigrationStatus;
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
                List.of(new MigrationResult("2", HOSTILE, "V2__" + HOSTILE + ".sql", MigrationStatus.FAILED, 5, HOSTILE)),
                List.of(finding), List.of(finding));
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
    }
}
