package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {
    @Test
    void wordsSplitAtBlanksAndQuotesKeepThemTogether() {
        assertThat(CommandLine.split("cloneCommand", "  neonctl branches create  --name x ")).containsExactly(
                "neonctl", "branches", "create", "--name", "x");
        assertThat(CommandLine.split("cloneCommand", "sh -c 'psql -c \"DROP DATABASE $X\"'")).containsExactly(
                "sh", "-c", "psql -c \"DROP DATABASE $X\"");
        assertThat(CommandLine.split("cloneCommand", "a\"b c\"d \"q\\\"x\\\\\" ''")).containsExactly("ab cd", "q\"x\\", "");
        assertThat(CommandLine.split("cloneCommand", "one\\ word")).containsExactly("one word");
        assertThat(CommandLine.split("cloneCommand", null)).isEmpty();
        assertThat(CommandLine.split("cloneCommand", "   ")).isEmpty();
    }

    @Test
    void nothingIsExpanded() {
        assertThat(CommandLine.split("cloneCommand", "echo $HOME *.sql ; rm -rf / | cat > x")).containsExactly(
                "echo", "$HOME", "*.sql", ";", "rm", "-rf", "/", "|", "cat", ">", "x");
    }

    @Test
    void anUnclosedQuoteNamesTheParameter() {
        assertThatThrownBy(() -> CommandLine.split("cloneDestroyCommand", "sh -c 'oops"))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("cloneDestroyCommand");
                    assertThat(e.getMessage()).contains("single quote that is never closed");
                });
    }

    @Test
    void aCommandAsMessagesShowItMasksSecrets() {
        assertThat(CommandClone.shown(List.of("env", "PGPASSWORD=s3cret", "neonctl", "--api-key=abc", "--name", "x",
                "jdbc:postgresql://u:pw@h/db"))).isEqualTo("env PGPASSWORD=*** neonctl --api-key=*** --name x "
                + "jdbc:postgresql://***@h/db");
    }
}
