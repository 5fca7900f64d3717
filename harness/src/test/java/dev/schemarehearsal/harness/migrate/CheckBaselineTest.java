package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckBaselineTest {

    @Test
    void acceptsAVersionThatHasAMigration(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__a.sql"), "");
        Files.writeString(dir.resolve("V1_1__b.sql"), "");
        Files.writeString(dir.resolve("R__view.sql"), "");
        assertThatCode(() -> FlywayScripts.checkBaseline(List.of("filesystem:" + dir), "1.1")).doesNotThrowAnyException();
    }

    @Test
    void namesTheVersionsThatExist(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__a.sql"), "");
        Files.writeString(dir.resolve("V2__b.sql"), "");
        assertThatThrownBy(() -> FlywayScripts.checkBaseline(List.of("filesystem:" + dir), "3"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("no migration has version 3; the versions are 1, 2");
    }

    @Test
    void aMissingFolderIsALocationsError(@TempDir Path dir) {
        assertThatThrownBy(() -> FlywayScripts.checkBaseline(List.of("filesystem:" + dir.resolve("nope")), "1"))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.parameter()).isEqualTo("locations"));
    }
}
