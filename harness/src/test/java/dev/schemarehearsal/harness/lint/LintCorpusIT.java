package dev.schemarehearsal.harness.lint;

import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import dev.schemarehearsal.harness.shadow.TestShadows;
import dev.schemarehearsal.harness.dialect.Dialect;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The lint corpus is real DDL: Flyway applies every script of it on PostgreSQL 15 and MariaDB 10.11. */
class LintCorpusIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "mariadb"})
    void flywayAppliesEveryScript(String engine) throws Exception {
        Path corpus = Path.of("src/test/resources/lint/corpus", engine).toAbsolutePath();
        long scripts;
        try (Stream<Path> files = Files.list(corpus)) {
            scripts = files.filter(f -> f.toString().endsWith(".sql")).count();
        }
        try (ShadowDatabase server = engine.equals("postgresql") ? TestShadows.embedded("15")
                : TestShadows.container(Engine.MARIADB, "mariadb:10.11");
             ShadowDatabase shadow = TestShadows.scratch(server)) {
            FluentConfiguration flyway = Flyway.configure(getClass().getClassLoader())
                    .dataSource(shadow.dataSource(Purpose.MIGRATION)).locations("filesystem:" + corpus);
            Dialect.of(shadow.engine()).configure(flyway);
            MigrateResult result = flyway.load().migrate();
            assertThat(result.success).isTrue();
            assertThat(result.migrationsExecuted).isEqualTo((int) scripts);
        }
    }
}
