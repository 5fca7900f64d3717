package dev.schemarehearsal.harness.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScaleTest {

    @Test
    void aFactorOrTargetRowsPerTable() {
        assertThat(Scale.parse("10")).isEqualTo(new Scale(10.0, Map.of()));
        assertThat(Scale.parse(" 2.5 ")).isEqualTo(new Scale(2.5, Map.of()));
        assertThat(Scale.parse("orders=400_000, public.customers=100000"))
                .isEqualTo(new Scale(null, Map.of("orders", 400_000L, "public.customers", 100_000L)));
        assertThat(Scale.parse(" ")).isNull();
        assertThat(Scale.parse(null)).isNull();
    }

    @Test
    void mistakesNameThePartAndTheForms() {
        String fix = "write a factor such as <scale>10</scale>, or target row counts such as "
                + "<scale>orders=400000,customers=100000</scale>";
        assertError("ten", "'ten' in 'ten' is not a number", fix);
        assertError("0.5", "the factor 0.5 is below 1: scale-up only adds rows", fix);
        assertError("orders=4e5", "'4e5' in 'orders=4e5' is not a number", fix);
        assertError("orders=1.5", "'1.5' in 'orders=1.5' is not a whole number of rows", fix);
        assertError("orders", "'orders' in 'orders' is not a number", fix);
        assertError("orders=1,=2", "'=2' in 'orders=1,=2' is not table=rows", fix);
        assertError("orders=1,orders=2", "table orders is named twice in 'orders=1,orders=2'", fix);
    }

    private static void assertError(String value, String message, String fix) {
        assertThatThrownBy(() -> Scale.parse(value)).isInstanceOfSatisfying(ConfigurationException.class, e -> {
            assertThat(e.parameter()).isEqualTo("scale");
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.fix()).isEqualTo(fix);
        });
    }
}
