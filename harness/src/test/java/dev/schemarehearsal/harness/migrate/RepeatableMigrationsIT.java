package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.Finding;
import dev.schemarehearsal.harness.api.RehearsalResult;
import dev.schemarehearsal.harness.api.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Each repeatable migration is applied a second time: one that fails or changes the schema is not idempotent. */
class RepeatableMigrationsIT {

    @Test
    void repeatableMigrationsMustSurviveASecondRun(@TempDir Path project) throws Exception {
        Path migrations = Files.createDirectories(project.resolve("src/main/resources/db/migration"));
        Files.writeString(migrations.resolve("V1__baseline.sql"), "CREATE TABLE t (id int PRIMARY KEY, n int);\n");
        Files.writeString(migrations.resolve("V2__column.sql"), "ALTER TABLE t ADD COLUMN c int;\n");
        Files.writeString(migrations.resolve("R__replaced_view.sql"), "CREATE OR REPLACE VIEW replaced AS SELECT id FROM t;\n");
        Files.writeString(migrations.resolve("R__created_view.sql"), "CREATE VIEW created AS SELECT id FROM t;\n");
        // An index without a name gets a new one each time: t_n_idx, then t_n_idx1.
        Files.writeString(migrations.resolve("R__unnamed_index.sql"), "CREATE INDEX ON t (n);\n");

        RehearsalResult result = Rehearsal.configure().projectDirectory(project).shadow("embedded").engineVersion("15")
                .baseline("1").failOn("none").load().run(event -> { });

        // Flyway applies repeatable migrations with the baseline already; they are checked all the same.
        assertThat(result.migrations()).extracting(m -> m.script()).containsExactly("V2__column.sql");
        assertThat(result.findings()).filteredOn(f -> f.rule() == Rule.NOT_IDEMPOTENT).extracting(Finding::message)
                .satisfiesExactly(
                        created -> assertThat(created).startsWith("R__created_view.sql failed when applied a second time")
                                .contains("relation \"created\" already exists").contains("CREATE OR REPLACE"),
                        index -> assertThat(index).startsWith("R__unnamed_index.sql changed the schema when applied a "
                                + "second time: + index CREATE INDEX t_n_idx1 ON public.t USING btree (n)"));
    }
}
