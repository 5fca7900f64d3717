package dev.schemarehearsal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code <baseline>git:<ref></baseline>} on a copy of the shop made a git repository: production's ref holds V1 to
 * V3, a later commit adds V4 and V5, and V6 is not committed at all.
 */
class GitBaselineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MIGRATIONS = "src/main/resources/db/migration/";

    @Test
    void rehearsalAndLintTakeThePendingSetFromTheRef() throws Exception {
        MavenBuild rehearse = MavenBuild.of("shop", "shop-git-baseline").arg("-Dschema.shadow=embedded")
                .arg("-Dschema.failOn=none").arg("-Dschema.baseline=git:production");
        Path project = rehearse.project();
        git(project, "init", "-q");
        git(project, "add", "-A");
        git(project, "rm", "-q", "--cached", MIGRATIONS + "V4__orders_tracking_code.sql",
                MIGRATIONS + "V5__index_tracking_code.sql", MIGRATIONS + "V6__customers_loyalty_tier.sql",
                MIGRATIONS + "V6__customers_loyalty_tier.sql.conf");
        commit(project, "production");
        git(project, "tag", "production");
        git(project, "add", MIGRATIONS + "V4__orders_tracking_code.sql", MIGRATIONS + "V5__index_tracking_code.sql");
        commit(project, "V4 and V5");

        MavenBuild.Result result = rehearse.run();

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.log()).contains("Baseline git:production is V3, the highest version present at production; "
                + "pending: V4__orders_tracking_code.sql, V5__index_tracking_code.sql, V6__customers_loyalty_tier.sql");
        JsonNode report = JSON.readTree(rehearse.report("report.json").toFile());
        assertThat(values(report.get("migrations"), "version")).containsExactly("4", "5", "6");
        assertThat(values(report.get("backfills"), "name")).containsExactly("customers_loyalty_tier");

        // Lint at HEAD: V4 and V5 are committed there, so only V6 is pending.
        MavenBuild.Result lint = rehearse.goal("schema:lint").arg("-Dschema.baseline=git:HEAD").run();
        assertThat(lint.exitCode()).as(lint.log()).isZero();
        JsonNode records = JSON.readTree(rehearse.report("lint.json").toFile()).get("records");
        assertThat(values(records, "version")).containsExactly("6");
    }

    private static List<String> values(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.get(field).asText()));
        return values;
    }

    private static void commit(Path project, String message) throws Exception {
        git(project, "-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "-q", "-m", message);
    }

    private static void git(Path project, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", project.toString()));
        command.addAll(List.of(arguments));
        Process git = new ProcessBuilder(command).inheritIO().start();
        assertThat(git.waitFor()).as(String.join(" ", command)).isZero();
    }
}
