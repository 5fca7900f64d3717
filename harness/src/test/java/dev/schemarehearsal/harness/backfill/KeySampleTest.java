package dev.schemarehearsal.harness.backfill;

import dev.schemarehearsal.harness.backfill.KeysetWalk.Step;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KeySampleTest {
    @Test
    void theTimePerKeysErrorShrinksWithAgreeingBatches() {
        // 1,000 keys per batch: 10 ms each, or 5 and 15 ms.
        List<Step> same = List.of(step(1_000, 10), step(1_000, 10), step(1_000, 10));
        List<Step> spread = List.of(step(1_000, 5), step(1_000, 15), step(1_000, 5), step(1_000, 15));
        assertThat(KeySample.standardError(same, 10_000)).isZero();
        // Residuals ±5 ms over 4 batches: sqrt(4 × 25e12 / 12) / 1,000 keys = 2,886.75 ns per key.
        assertThat(KeySample.standardError(spread, 10_000)).isCloseTo(2_886.75, within(0.01));
        assertThat(KeySample.standardError(List.of(step(1_000, 10)), 10_000)).isZero();
    }

    private static Step step(long keys, long ms) {
        return new Step(1, 0, keys, keys, keys, 0, ms * 1_000_000);
    }
}
