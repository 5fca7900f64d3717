package dev.schemarehearsal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reaches the build log at which level, on MariaDB 10.11: the ALTER algorithms the server refuses while the
 * rehearsal learns the one it picks are debug lines (and the driver's own warning for each server error is not printed), and an
 * info finding (plan-changed) ends the log at INFO, not WARNING.
 */
class LogLevelsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void algorithmRefusalsAreDebugAndInfoFindingsAreInfo() throws Exception {
        MavenBuild build = MavenBuild.of("broken", "log-levels-mariadb").arg("-X").arg("-Dschema.engine=mariadb")
                .arg("-Dschema.engineVersion=10.11").arg("-Dschema.failOn=none");
        Path migrations = build.project().resolve("src/main/resources/db/migration");
        for (String script : List.of("V1__accounts.sql", "V2__add_and_fail.sql", "V3__after_failure.sql")) {
            Files.delete(migrations.resolve(script));
        }
        Files.writeString(migrations.resolve("V1__items.sql"),
                "CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL, note varchar(20));\n");
        // A type change MariaDB only does by copying: six algorithms refused before COPY, LOCK=SHARED.
        Files.writeString(migrations.resolve("V2__widen.sql"), "ALTER TABLE items MODIFY n bigint NOT NULL;\n");
        Files.writeString(migrations.resolve("V3__index.sql"), "CREATE INDEX items_n ON items (n);\n");
        Path data = build.project().resolve("src/rehearsal/data");
        Files.delete(data.resolve("accounts.csv"));
        StringBuilder items = new StringBuilder("id,n,note\n");
        for (int i = 1; i <= 5000; i++) {
            items.append(i).append(',').append(i % 500).append(",note ").append(i).append('\n');
        }
        Files.writeString(data.resolve("items.csv"), items);
        Files.writeString(build.project().resolve("src/rehearsal/queries.sql"),
                "-- name: items_by_n\nSELECT id, note FROM items WHERE n = 7;\n");

        MavenBuild.Result result = build.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        JsonNode report = JSON.readTree(build.report("report.json").toFile());
        assertThat(report.at("/migrations/0/statements/0/algorithm").asText()).isEqualTo("COPY, LOCK=SHARED");
        assertThat(report.at("/migrations/1/statements/0/algorithm").asText()).isEqualTo("NOCOPY, LOCK=NONE");
        List<String> lines = result.log().lines().toList();
        // Six refusals before V2's COPY, LOCK=SHARED; one (INSTANT) before V3's NOCOPY, LOCK=NONE.
        assertThat(lines).filteredOn(l -> l.startsWith("[DEBUG] ALTER on items: ALGORITHM=")).hasSize(7)
                .allSatisfy(l -> assertThat(l).contains(" refused: "));
        // The run's only warning is its warning finding. (Testcontainers opens its notice that Ryuk is disabled, where
        // it is, with an empty warning line: not the tool's.)
        assertThat(lines).filteredOn(l -> l.startsWith("[WARNING]") && !l.strip().equals("[WARNING]"))
                .singleElement().asString().startsWith("[WARNING]   [warning] missing-lock-timeout: V2__widen.sql");
        assertThat(report.at("/findings").findValuesAsText("rule")).contains("plan-changed");
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .startsWith("[INFO]   [info] plan-changed: Query items_by_n's plan got better after migration 3"));
    }
}
