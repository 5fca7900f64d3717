package dev.schemarehearsal.harness.dialect;

import dev.schemarehearsal.harness.api.Engine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TypeWidthsTest {
    private final Dialect postgres = Dialect.of(Engine.POSTGRESQL);
    private final Dialect mariadb = Dialect.of(Engine.MARIADB);

    @Test
    void narrowerIntegersAndShorterLengthsLoseValues() {
        assertThat(postgres.narrows("bigint", "integer")).isTrue();
        assertThat(postgres.narrows("integer", "bigint")).isFalse();
        assertThat(postgres.narrows("character varying(100)", "character varying(20)")).isTrue();
        assertThat(postgres.narrows("character varying(20)", "character varying(100)")).isFalse();
        assertThat(postgres.narrows("text", "character varying(20)")).isTrue();
        assertThat(postgres.narrows("character varying", "character varying(20)")).isTrue();
        assertThat(postgres.narrows("numeric(12,2)", "numeric(8,2)")).isTrue();
        assertThat(postgres.narrows("integer", "text")).isFalse();

        assertThat(mariadb.narrows("bigint(20)", "int(11)")).isTrue();
        assertThat(mariadb.narrows("int(11)", "bigint(20)")).isFalse();
        assertThat(mariadb.narrows("varchar(255)", "varchar(50)")).isTrue();
    }
}
