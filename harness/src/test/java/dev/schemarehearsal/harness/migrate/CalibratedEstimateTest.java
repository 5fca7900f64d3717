package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.migrate.CalibratedEstimate.Estimate;
import dev.schemarehearsal.harness.migrate.CalibratedEstimate.Growth;
import dev.schemarehearsal.harness.migrate.CalibratedEstimate.Measurement;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CalibratedEstimateTest {
    private static final Measurement EMPTY = new Measurement(0, 5);

    @Test
    void aStatementThatGrowsRowByRowIsExtrapolatedFromItsFixedCostAndItsCostPerRow() {
        // 5 ms + 2 µs per row, measured at 10,000 and 50,000 rows.
        Estimate estimate = CalibratedEstimate.ddl(EMPTY, new Measurement(10_000, 25), new Measurement(50_000, 105),
                2_000_000, Growth.LINEAR);

        assertThat(estimate.ms()).isCloseTo(4_005, within(0.01));
        assertThat(estimate.basis()).isEqualTo("fit on 3 sizes (0, 10,000 and 50,000 rows): 5.0 ms + 2.000 µs/row");
        // Row by row, the sample alone says the same; the sort's growth would say more.
        assertThat(estimate.lowMs()).isCloseTo(4_005 / CalibratedEstimate.MARGIN, within(0.01));
        assertThat(estimate.highMs()).isGreaterThan(4_005 * CalibratedEstimate.MARGIN);
    }

    @Test
    void aSortGrowsWithRowsTimesTheirLogarithm() {
        Growth sort = Growth.SORT;
        double perUnit = 0.0001;
        Estimate estimate = CalibratedEstimate.ddl(EMPTY, new Measurement(10_000, 5 + perUnit * sort.of(10_000)),
                new Measurement(50_000, 5 + perUnit * sort.of(50_000)), 2_000_000, sort);

        assertThat(estimate.ms()).isCloseTo(5 + perUnit * sort.of(2_000_000), within(0.01));
        // Row by row from the same two sizes the estimate comes out lower: the range spans both.
        assertThat(estimate.lowMs()).isLessThan(estimate.ms() / CalibratedEstimate.MARGIN);
        assertThat(estimate.highMs()).isCloseTo(estimate.ms() * CalibratedEstimate.MARGIN, within(0.01));
    }

    @Test
    void aStatementThatReadsNoRowsTakesItsMeasuredTime() {
        Estimate estimate = CalibratedEstimate.ddl(EMPTY, new Measurement(0, 6), new Measurement(0, 7), 0, Growth.LINEAR);

        assertThat(estimate.ms()).isEqualTo(7);
        assertThat(estimate.within(2, 2, 10)).isTrue();
        assertThat(estimate.within(40, 2, 10)).isFalse();
    }

    @Test
    void dmlScalesItsReadingWithTheTablesAndItsWritingWithTheRowsItChanges() {
        // On the scaled copy: 5 ms fixed, 80 ms reading, 20 ms writing; production has 10× the rows read and 100× the
        // rows changed.
        Estimate estimate = CalibratedEstimate.dml(EMPTY, new Measurement(10_000, 26), new Measurement(50_000, 105),
                500_000, 0.8, 10, 100);

        assertThat(estimate.ms()).isCloseTo(5 + 800 + 2_000, within(0.01));
        assertThat(estimate.basis()).isEqualTo("5.0 ms fixed + 80.0 ms reading × 10.0 + 20.0 ms writing × 100.0 on 50,000 rows");
        assertThat(estimate.covers(estimate.ms())).isTrue();
    }
}
