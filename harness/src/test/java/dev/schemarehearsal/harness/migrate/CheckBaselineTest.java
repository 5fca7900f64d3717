package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
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
    void noneIsBelowEveryVersion(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__a.sql"), "");
        assertThatCode(() -> FlywayScripts.checkBaseline(List.of("filesystem:" + dir), "none")).doesNotThrowAnyException();
        assertThat(FlywayScripts.baselineVersion("none")).isLessThan(FlywayScripts.baselineVersion("0"));
        assertThatThrownBy(() -> FlywayScripts.checkBaseline(List.of("filesystem:" + dir), "3"))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.fix())
                        .isEqualTo("set <baseline> to the version production is at, or to none when production has "
                                + "none of them yet"));
    }

    @Test
    void twoScriptsOfOneVersionAreRefusedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        Path one = Files.writeString(dir.resolve("V2__a.sql"), "");
        Path other = Files.writeString(dir.resolve("V2.0__b.sql"), "");
        Files.writeString(dir.resolve("V1__init.sql"), "");
        Files.writeString(dir.resolve("V7__c.sql"), "");
        assertThatThrownBy(() -> FlywayScripts.checkBaseline(List.of("filesystem:" + dir), "1"))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("locations");
                    assertThat(e.getMessage()).startsWith("two migrations have version 2").contains(one.toString(),
                            other.toString()).endsWith(", and Flyway refuses to migrate with both (Found more than one "
                            + "migration with version 2)");
                    assertThat(e.fix()).matches("give one of them a version above the highest, 7 \\(e\\.g\\. rename "
                            + "(V2__a\\.sql to V8__a\\.sql|V2\\.0__b\\.sql to V8__b\\.sql)\\), or remove it if it is a copy");
                });
    }

    @Test
    void oneNameInTwoLocationsIsTwoScriptsOfOneVersion(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("V1__init.sql"), "");
        Files.writeString(b.resolve("V1__init.sql"), "");
        assertThatThrownBy(() -> FlywayScripts.checkBaseline(List.of("filesystem:" + a, "filesystem:" + b), "1"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("two migrations have version 1: " + a.resolve("V1__init.sql") + " and "
                        + b.resolve("V1__init.sql"));
        // The same folder twice, or one inside another, is read once by Flyway: no duplicate.
        assertThatCode(() -> FlywayScripts.checkBaseline(List.of("filesystem:" + a, "filesystem:" + a,
                "filesystem:" + dir.resolve("a/../a")), "1")).doesNotThrowAnyException();
    }

    @Test
    void aMissingFolderIsALocationsError(@TempDir Path dir) {
        assertThatThrownBy(() -> FlywayScripts.checkBaseline(List.of("filesystem:" + dir.resolve("nope")), "1"))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.parameter()).isEqualTo("locations"));
    }
}
