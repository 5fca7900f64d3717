package dev.schemarehearsal.harness.sample;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The users the integration tests sample with are made exactly as the README tells users to make theirs. */
class SelectOnlyUserTest {
    @Test
    void theReadmeShowsTheRecipesTheTestsUse() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme).contains("```sql\n" + SelectOnlyUser.POSTGRESQL + "```")
                .contains("```sql\n" + SelectOnlyUser.MYSQL + "```");
    }

    @Test
    void aUrlLosesTheCredentialsItNames() {
        SelectOnlyUser.Credentials reader = new SelectOnlyUser.Credentials("sampler", "pw");
        assertThat(reader.url("jdbc:postgresql://h:5432/db?user=postgres&password=x&stringtype=unspecified"))
                .isEqualTo("jdbc:postgresql://h:5432/db?stringtype=unspecified");
        assertThat(reader.url("jdbc:postgresql://h:5432/db?a=1&user=postgres")).isEqualTo("jdbc:postgresql://h:5432/db?a=1");
    }
}
