package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.RehearsalResult.ProductionEstimate;
import dev.schemarehearsal.harness.migrate.EstimateModel.Caveat;
import dev.schemarehearsal.harness.migrate.EstimateModel.Growth;
import dev.schemarehearsal.harness.migrate.EstimateModel.Production;
import dev.schemarehearsal.harness.migrate.EstimateModel.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EstimateModelTest {
    private static final Size EMPTY = new Size(0, 0, 5);

    @Test
    void workThatGrowsRowByRowIsItsFixedCostPlusItsCostPerRowAtProductionsRows() {
        // 5 ms + 2 µs per row, measured empty, at 10,000 and at 50,000 rows.
        ProductionEstimate estimate = EstimateModel.statement(List.of(EMPTY, new Size(10_000, 0, 25),
                new Size(50_000, 0, 105)), new Production(2_000_000, -1), Growth.LINEAR, false, null, List.of());

        assertThat(estimate.ms()).isEqualTo(4_005);
        assertThat(estimate.basis()).isEqualTo("fit on 3 sizes (0, 10,000 and 50,000 rows read): 5.0 ms + 2.00 µs/row; "
                + "2,000,000 rows read at production");
        // Row by row the sample says the same; the sort's growth would say more.
        assertThat(estimate.range().low()).isEqualTo((long) Math.floor(4_005 / EstimateModel.MARGIN));
        assertThat(estimate.range().high()).isGreaterThan((long) (4_005 * EstimateModel.MARGIN));
    }

    @Test
    void theFixedCostIsNotMultiplied() {
        // An index build on a small table: 300 ms of fixed cost, 1 ms of sorting 10,000 rows; production has 100 times
        // the rows. Scaling the whole duration would say 30 s.
        Growth sort = Growth.SORT;
        double perUnit = 1.0 / sort.of(10_000);
        ProductionEstimate estimate = EstimateModel.statement(List.of(new Size(0, 0, 300),
                new Size(10_000, 0, 301)), new Production(1_000_000, -1), sort, false, null, List.of());

        assertThat((double) estimate.ms()).isCloseTo(300 + perUnit * sort.of(1_000_000), within(1.0));
        assertThat(estimate.ms()).isLessThan(500);
        assertThat(estimate.basis()).contains("/row·log₂ rows");
    }

    @Test
    void rowsReadInNoMoreTimeThanTheEmptyTwinCountAllTheirTimePerRow() {
        // A scan of 20,000 rows as fast as the empty twin: a cost of 0 per row would make a production of
        // 20,000,000,000 rows as fast; the whole millisecond counts per row, as measured is the low end.
        ProductionEstimate estimate = EstimateModel.statement(List.of(new Size(0, 0, 1.0), new Size(20_000, 0, 1.0)),
                new Production(20_000_000_000d, -1), Growth.LINEAR, false, null, List.of());

        assertThat(estimate.ms()).isEqualTo(1_000_000);
        assertThat(estimate.range().low()).isEqualTo(0);
        assertThat(estimate.basis()).isEqualTo("fit on 2 sizes (0 and 20,000 rows read): 0.0 ms + 50.0 ns/row; "
                + "20,000,000,000 rows read at production; the rows' cost not told from the fixed cost (1.0 ms with "
                + "them, 1.0 ms without): all of it taken per row");
    }

    @Test
    void aSortGrowsWithRowsTimesTheirLogarithmAndTheLinearReadingBoundsItFromBelow() {
        Growth sort = Growth.SORT;
        double perUnit = 0.0001;
        ProductionEstimate estimate = EstimateModel.statement(List.of(EMPTY, new Size(10_000, 0, 5 + perUnit * sort.of(10_000)),
                new Size(50_000, 0, 5 + perUnit * sort.of(50_000))), new Production(2_000_000, -1), sort, false, null, List.of());

        double expected = 5 + perUnit * sort.of(2_000_000);
        assertThat((double) estimate.ms()).isCloseTo(expected, within(1.0));
        assertThat((double) estimate.range().low()).isLessThan(expected / EstimateModel.MARGIN);
        assertThat((double) estimate.range().high()).isCloseTo(expected * EstimateModel.MARGIN, within(1.0));
    }

    @Test
    void workThatReadsNoRowsTakesWhatItTookWhateverTheSize() {
        // TRUNCATE: new empty storage, the rows never read.
        ProductionEstimate estimate = EstimateModel.statement(List.of(new Size(0, 0, 3), new Size(0, 0, 4),
                new Size(0, 0, 4)), new Production(0, -1), Growth.SORT, false, null, List.of());

        assertThat(estimate.ms()).isEqualTo(4);
        assertThat(estimate.range().low()).isEqualTo(2);
        assertThat(estimate.range().high()).isEqualTo(6);
        assertThat(estimate.basis()).isEqualTo("no rows read at 3 sizes: 4.0 ms as measured, whatever the size");
    }

    @Test
    void dmlScalesItsReadingWithTheRowsReadAndItsWritingWithTheRowsWritten() {
        // Largest size: 5 ms fixed, 80 ms reading 50,000 rows, 20 ms writing 500; production reads 10 times the rows
        // and the planner says it writes 100 times as many.
        ProductionEstimate estimate = EstimateModel.statement(List.of(EMPTY, new Size(10_000, 100, 26),
                new Size(50_000, 500, 105)), new Production(500_000, 50_000), Growth.LINEAR, true, 0.8, List.of());

        assertThat(estimate.ms()).isEqualTo(5 + 800 + 2_000);
        assertThat(estimate.basis()).isEqualTo("fit on 3 sizes (0, 10,000 and 50,000 rows read): 5.0 ms + 80 ms "
                + "reading × 10 + 20 ms writing × 100 (50,000 rows written at production, by the planner); 500,000 rows "
                + "read at production");
        assertThat(estimate.range().low()).isLessThanOrEqualTo(estimate.ms());
        assertThat(estimate.range().high()).isGreaterThanOrEqualTo(estimate.ms());
    }

    @Test
    void aSelectiveUpdateGrowsWithTheTableItScans() {
        // It reads every row to find a few: 1 ms fixed, 0.1 µs per row read; production's table is 100 times larger.
        ProductionEstimate estimate = EstimateModel.statement(List.of(new Size(0, 0, 1), new Size(20_000, 10, 3),
                new Size(500_000, 250, 51)), new Production(2_000_000, 1_000), Growth.LINEAR, true, 0.98, List.of());

        assertThat(estimate.ms()).isBetween(190L, 210L);
    }

    @Test
    void caveatsWidenTheRangeAndAreSaid() {
        List<Size> sizes = List.of(EMPTY, new Size(50_000, 0, 105));
        ProductionEstimate plain = EstimateModel.statement(sizes, new Production(2_000_000, -1), Growth.LINEAR, false,
                null, List.of());
        ProductionEstimate widened = EstimateModel.statement(sizes, new Production(2_000_000, -1), Growth.LINEAR, false,
                null, List.of(new Caveat("production plans a hash join, the copy a nested loop", 2, true)));

        assertThat(widened.ms()).isEqualTo(plain.ms());
        assertThat(widened.range().high()).isBetween(2 * plain.range().high() - 1, 2 * plain.range().high() + 1);
        assertThat(widened.range().low()).isBetween(plain.range().low() / 2 - 1, plain.range().low() / 2 + 1);
        assertThat(widened.basis()).endsWith("; production plans a hash join, the copy a nested loop");
    }

    @Test
    void withoutAnEmptyTwinTheFixedCostIsWhereTheLineMeetsNoRows() {
        ProductionEstimate estimate = EstimateModel.statement(List.of(new Size(10_000, 0, 25), new Size(50_000, 0, 105)),
                new Production(2_000_000, -1), Growth.LINEAR, false, null, List.of());

        assertThat(estimate.ms()).isEqualTo(4_005);
    }

    @Test
    void aBackfillIsItsBatchesAtProductionTimesTheirCostThere() {
        // 2 ms per batch of 1,000 whatever the table's size: an index finds each batch's rows.
        ProductionEstimate flat = EstimateModel.backfill(List.of(new Size(20_000, 20, 40), new Size(500_000, 500, 1_000)),
                2_000_000, 1_000, List.of());
        assertThat(flat.ms()).isEqualTo(4_000);
        assertThat(flat.basis()).isEqualTo("batches of 1,000 on 2 sizes: 2.0 ms each at 20,000 rows, 2.0 ms at 500,000; "
                + "2.0 ms each at production's 2,000,000 rows, 2,000 batches");

        // A batch that scans the table costs more the larger the table: 1 ms + 0.01 µs per row of the table.
        ProductionEstimate scanning = EstimateModel.backfill(List.of(new Size(20_000, 20, 20 * 1.2),
                new Size(500_000, 500, 500 * 6)), 2_000_000, 1_000, List.of());
        assertThat(scanning.ms()).isEqualTo(2_000 * 21);
        assertThat(scanning.range().low()).isLessThan(scanning.ms());
    }
}
