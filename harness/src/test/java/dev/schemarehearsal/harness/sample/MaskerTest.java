package dev.schemarehearsal.harness.sample;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class MaskerTest {
    private final Masker masker = new Masker(42);
    private static final Mask HASH = new Mask(Mask.Kind.HASH, null);

    @Test
    void theSameValueAndSeedGiveTheSameResultAndAnotherSeedAnother() {
        Masker again = new Masker(42);
        Masker other = new Masker(43);
        for (String value : new String[] {"17", "alice@shop.test", "3f2b8c1e-0d4a-4e7f-9a1b-2c3d4e5f6a7b", "12.50"}) {
            assertThat(again.hash(value)).isEqualTo(masker.hash(value));
            assertThat(other.hash(value)).isNotEqualTo(masker.hash(value));
        }
        assertThat(again.apply(new Mask(Mask.Kind.EMAIL, null), "a@b.c")).isEqualTo(masker.apply(new Mask(Mask.Kind.EMAIL, null), "a@b.c"));
    }

    @Test
    void integersStayDistinctAndInTheirClass() {
        Set<Long> small = new HashSet<>();
        LongStream.rangeClosed(-5_000, 20_000).forEach(v -> {
            long masked = masker.permute(v);
            assertThat(small.add(masked)).as("collision at %d", v).isTrue();
            assertThat(Long.signum(masked)).isEqualTo(v < 0 ? -1 : Long.signum(masked));
            assertThat(masked).isBetween(-(1L << 31), (1L << 31) - 1);
        });
        long big = masker.permute(5_000_000_000L);
        assertThat(big).isGreaterThanOrEqualTo(1L << 31);
        assertThat(masker.permute(Long.MAX_VALUE)).isPositive();
        assertThat(masker.permute(-5_000_000_000L)).isLessThan(-(1L << 31) + 1);
    }

    @Test
    void hashKeepsTheKindOfValue() {
        assertThat(masker.hash("123")).matches("[0-9]+");
        assertThat(masker.hash("-7")).matches("-[0-9]+");
        assertThat(masker.hash("12.50")).matches("[0-9]{2}\\.[0-9]{2}").isNotEqualTo("12.50");
        assertThat(masker.hash("3f2b8c1e-0d4a-4e7f-9a1b-2c3d4e5f6a7b"))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(masker.hash("alice")).matches("[0-9a-f]{16}");
        assertThat(masker.hash("99999999999999999999")).matches("[0-9]{20}");
        assertThat(Masker.hashKeepsType("2024-01-01")).isFalse();
        assertThat(Masker.hashKeepsType("42")).isTrue();
    }

    @Test
    void fakesKeepTheFormat() {
        assertThat(masker.apply(new Mask(Mask.Kind.EMAIL, null), "alice@shop.test")).matches("[a-z]+\\.[a-z]+\\.[0-9]+@example\\.com");
        assertThat(masker.apply(new Mask(Mask.Kind.NAME, null), "Alice Smith")).matches("[A-Z][a-z]+ [A-Z][a-z]+");
        assertThat(masker.apply(new Mask(Mask.Kind.NAME, null), "Alice")).matches("[A-Z][a-z]+");
        assertThat(masker.apply(new Mask(Mask.Kind.NAME, null), "ALICE SMITH")).matches("[A-Z]+ [A-Z]+");
        String phone = masker.apply(new Mask(Mask.Kind.PHONE, null), "+31 (20) 555-0199");
        assertThat(phone).matches("\\+[0-9]{2} \\([0-9]{2}\\) [0-9]{3}-[0-9]{4}").isNotEqualTo("+31 (20) 555-0199");
    }

    @Test
    void nullStaysNullAndFixedAndNullMasksReplaceEveryValue() {
        assertThat(masker.apply(HASH, null)).isNull();
        assertThat(masker.apply(new Mask(Mask.Kind.FIXED, "NL"), "DE")).isEqualTo("NL");
        assertThat(masker.apply(new Mask(Mask.Kind.NULL, null), "secret")).isNull();
    }
}
