package dev.schemarehearsal.harness.shadow;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's local clone command is the one the integration tests run: its scripts' commands, line for line. */
class CloneRecipeTest {
    @Test
    void theReadmeShowsTheTestedScripts() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        for (String script : new String[] {"clone-create.sh", "clone-destroy.sh"}) {
            String commands = String.join("\n", Files.readAllLines(Path.of("../fixtures/clone", script)).stream()
                    .filter(line -> !line.startsWith("#")).toList());
            assertThat(commands).isNotBlank();
            assertThat(readme).as(script).contains("# " + script).contains(commands);
        }
    }
}
