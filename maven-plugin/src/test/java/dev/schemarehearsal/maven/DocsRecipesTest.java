package dev.schemarehearsal.maven;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nightly jobs of {@code docs/nightly.md} are YAML their CI systems read: each block parses, has the keys its
 * system requires, and runs the goals with the parameter names the plugin has.
 */
class DocsRecipesTest {
    private static final Path NIGHTLY = Path.of("../docs/nightly.md");
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    private static List<Map<String, Object>> recipes() throws Exception {
        Matcher blocks = YAML_BLOCK.matcher(Files.readString(NIGHTLY));
        List<Map<String, Object>> recipes = new ArrayList<>();
        while (blocks.find()) {
            recipes.add(new Yaml(new SafeConstructor(new LoaderOptions())).load(blocks.group(1)));
        }
        return recipes;
    }

    @Test
    @SuppressWarnings("unchecked")
    void gitHubActionsWorkflowRunsNightlyAndKeepsTheReportAndTheHistory() throws Exception {
        Map<String, Object> workflow = recipes().get(0);
        // YAML 1.1 reads the key "on" as true.
        Map<String, Object> on = (Map<String, Object>) workflow.getOrDefault("on", workflow.get(true));
        assertThat(((List<Map<String, Object>>) on.get("schedule")).get(0)).containsKey("cron");
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) workflow.get("jobs")).get("rehearse");
        assertThat(job).containsKeys("runs-on", "steps");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
        assertThat(steps).allSatisfy(step -> assertThat(step.containsKey("uses") ^ step.containsKey("run"))
                .as("a step has either uses or run: %s", step).isTrue());
        String runs = String.join("\n", steps.stream().filter(s -> s.get("run") != null)
                .map(s -> (String) s.get("run")).toList());
        assertThat(runs).contains("schema:sample", "schema:rehearse", "-Dschema.history=true",
                "-Dschema.failOn=new:error", "-Dschema.serverId=production-reader");
        assertThat(steps).extracting(s -> (String) s.get("uses")).contains("actions/cache/restore@v4",
                "actions/cache/save@v4", "actions/upload-artifact@v4");
    }

    @Test
    @SuppressWarnings("unchecked")
    void gitLabJobRunsOnScheduleWithTheHistoryInADatabase() throws Exception {
        Map<String, Object> pipeline = recipes().get(1);
        Map<String, Object> job = (Map<String, Object>) pipeline.get("nightly-schema-rehearsal");
        assertThat(job).containsKeys("image", "script", "artifacts", "rules");
        assertThat(((List<Map<String, Object>>) job.get("rules")).get(0).get("if"))
                .isEqualTo("$CI_PIPELINE_SOURCE == \"schedule\"");
        assertThat(String.join("\n", (List<String>) job.get("script"))).contains("schema:sample", "schema:rehearse",
                "-Dschema.history=\"$HISTORY_URL\"", "-Dschema.historyServerId=rehearsal-history",
                "-Dschema.failOn=new:error");
        Map<String, Object> artifacts = (Map<String, Object>) job.get("artifacts");
        assertThat(artifacts.get("when")).isEqualTo("always");
        assertThat((List<String>) artifacts.get("paths")).containsExactly("target/schema-rehearsal/");
    }
}
