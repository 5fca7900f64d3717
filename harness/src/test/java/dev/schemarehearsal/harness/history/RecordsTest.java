package dev.schemarehearsal.harness.history;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordsTest {
    /**
     * A record as the first format's writer wrote it, kept as a file: every later version must go on reading it.
     */
    @Test
    void theFirstFormatStaysReadable() throws Exception {
        Records.Parsed parsed = Records.parse("format-1.json",
                Files.readString(Path.of("src/test/resources/history/format-1.json")));

        assertThat(parsed.skipped()).isNull();
        RunRecord record = parsed.record();
        assertThat(record.format()).isEqualTo(1);
        assertThat(record.branch()).isEqualTo("main");
        assertThat(record.migrations()).singleElement().satisfies(m -> {
            assertThat(m.productionBlockedMs()).isEqualTo(1_300L);
            assertThat(m.statements()).singleElement().satisfies(s -> assertThat(s.productionMs()).isEqualTo(1_300L));
        });
        assertThat(record.queries().get(0).after().shape()).isEqualTo("9c5a0f0e2d3b4a11");
        assertThat(record.tables().get(0).bytes()).isEqualTo(14_400_000_000L);
        assertThat(record.productionPlans().queries().get("pending_orders").index()).isEqualTo("orders_status_idx");
        assertThat(record.findings().get(0).fingerprint()).isEqualTo("5d1f0a6c3e9b2a77");
    }

    @Test
    void aRecordWrittenIsReadBackTheSame() {
        RunRecord record = Runs.record(Runs.result(List.of(Runs.v12(400, 1_300L)),
                        List.of(Runs.query("pending_orders", 8, "Index Scan")), List.of()), Runs.statistics(120_000_000),
                Runs.plans("2026-01-05T00:00:00Z", "Index Scan", 8), "2026-01-05T02:14:07.125Z");

        assertThat(Records.parse("r", Records.json(record)).record()).isEqualTo(record);
    }

    @Test
    void fieldsAddedWithinAFormatAreIgnored() {
        assertThat(Records.parse("r", "{\"format\": 1, \"at\": \"2026-01-05T02:14:07.125Z\", \"later\": [1, 2]}")
                .record().at()).isEqualTo("2026-01-05T02:14:07.125Z");
    }

    @Test
    void aNewerFormatIsSkippedAndSaidSo() {
        assertThat(Records.parse("h/2027.json", "{\"format\": 2, \"at\": \"2027-01-01T00:00:00.000Z\", \"x\": {}}"))
                .satisfies(p -> {
                    assertThat(p.record()).isNull();
                    assertThat(p.skipped()).isEqualTo("History record h/2027.json was written by a newer "
                            + "schema-rehearsal (format 2; this version reads up to 1): skipped, left in place");
                });
    }

    @Test
    void anUnreadableRecordIsSkippedAndSaidSo() {
        assertThat(Records.parse("h/a.json", "{\"format\": 1, \"at\": ").skipped())
                .startsWith("History record h/a.json is unreadable (not JSON: ").endsWith("): skipped, left in place");
        assertThat(Records.parse("h/b.json", "[1, 2]").skipped())
                .isEqualTo("History record h/b.json is unreadable (no \"format\" number): skipped, left in place");
        assertThat(Records.parse("h/c.json", "{\"format\": \"1\"}").skipped()).contains("no \"format\" number");
        assertThat(Records.parse("h/d.json", "{\"format\": 1}").skipped()).contains("(no \"at\")");
        assertThat(Records.parse("h/e.json", "{\"format\": 1, \"at\": \"x\", \"migrations\": 7}").skipped())
                .startsWith("History record h/e.json is unreadable (");
    }
}
