package dev.schemarehearsal.harness.migrate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which tables' rows the calibration copies need beyond those the statements work through. */
class CalibrationTest {
    @Test
    void theTablesForeignKeysWillReferenceAreNamedUnquoted() {
        assertThat(Calibration.referenced(List.of(
                "ALTER TABLE add_foreign_key ADD CONSTRAINT fk FOREIGN KEY (n) REFERENCES parent (id)",
                "-- orders reference customers\nCREATE TABLE orders (id int, c int REFERENCES `shop`.`customers`(id), "
                        + "p int references \"Products\" (id))",
                "ALTER TABLE t ADD COLUMN n int"))).containsExactly("parent", "shop.customers", "Products");
    }
}
