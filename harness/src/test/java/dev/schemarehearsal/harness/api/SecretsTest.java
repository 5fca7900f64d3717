package dev.schemarehearsal.harness.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://db:5432/shop?user=app&password=s3cret&ssl=true | jdbc:postgresql://db:5432/shop?user=app&password=***&ssl=true",
            "jdbc:postgresql://db/shop?PASSWORD=s3cret | jdbc:postgresql://db/shop?PASSWORD=***",
            "jdbc:mysql://app:s3cret@db:3306/shop | jdbc:mysql://***@db:3306/shop",
            "jdbc:mariadb://app:p@ss:w0rd@db/shop?useSsl=true | jdbc:mariadb://***@db/shop?useSsl=true",
            "jdbc:mysql://db/shop?sslMode=REQUIRED&trustCertificateKeyStorePassword=s3cret | jdbc:mysql://db/shop?sslMode=REQUIRED&trustCertificateKeyStorePassword=***",
            "jdbc:sqlserver://db;databaseName=shop;user=app;pwd=s3cret;encrypt=true | jdbc:sqlserver://db;databaseName=shop;user=app;pwd=***;encrypt=true",
            "jdbc:mysql://address=(host=db)(port=3306)(user=app)(password=s3cret)/shop | jdbc:mysql://address=(host=db)(port=3306)(user=app)(password=***)/shop",
            "jdbc:postgresql://db/shop?password=a=b&user=app | jdbc:postgresql://db/shop?password=***&user=app",
            "jdbc:postgresql://db/shop?user=app&amp;password=s3cret | jdbc:postgresql://db/shop?user=app&amp;password=***",
            "jdbc:postgresql://db:5432/shop?user=app | jdbc:postgresql://db:5432/shop?user=app",
    })
    void credentialsInAUrlAreMaskedAndTheRestKept(String url, String redacted) {
        assertThat(Secrets.redact(url)).isEqualTo(redacted);
    }

    @Test
    void urlsWithinATextAreFoundWhereverTheyAre() {
        assertThat(Secrets.redact("could not create a scratch database on jdbc:postgresql://db/x?password=s3cret: FATAL"))
                .isEqualTo("could not create a scratch database on jdbc:postgresql://db/x?password=*** FATAL");
        assertThat(Secrets.redact("'jdbc:h2://app:s3cret@db/x?password=s3cret' is not a postgresql JDBC URL"))
                .isEqualTo("'jdbc:h2://***@db/x?password=***' is not a postgresql JDBC URL");
        assertThat(Secrets.redact("{\"source\":\"jdbc:mysql://app:s3cret@db/shop\",\"rows\":3}"))
                .isEqualTo("{\"source\":\"jdbc:mysql://***@db/shop\",\"rows\":3}");
    }

    @Test
    void textWithoutUrlsIsLeftAsItIs() {
        String sql = "UPDATE users SET password = 'x' WHERE email = 'a@b.example'; -- see https://example.com/a?b=c";
        assertThat(Secrets.redact(sql)).isEqualTo(sql);
        assertThat(Secrets.redact(null)).isNull();
    }

    @Test
    void everyMessageOfAnExceptionsCausesIsRedacted() {
        Exception error = new IllegalStateException("wrapped",
                new SQLException("No suitable driver found for jdbc:foo://app:s3cret@db/x?password=s3cret"));

        Throwable redacted = Secrets.redacted(error);

        assertThat(redacted.getMessage()).isEqualTo("wrapped");
        assertThat(redacted).hasToString("java.lang.IllegalStateException: wrapped");
        assertThat(redacted.getCause().getMessage()).isEqualTo("No suitable driver found for jdbc:foo://***@db/x?password=***");
        assertThat(redacted.getCause()).hasToString(
                "java.sql.SQLException: No suitable driver found for jdbc:foo://***@db/x?password=***");
        assertThat(redacted.getCause().getStackTrace()).isEqualTo(error.getCause().getStackTrace());
        assertThat(redacted.getCause().getCause()).isNull();
    }
}
