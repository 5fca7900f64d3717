package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Query;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProbesTest {
    private static final long MS = 1_000_000;

    @Test
    void aStatementsStallIsTheLongestProbeOverlappingIt() {
        List<Probes.Probe> probes = List.of(
                new Probes.Probe(0, 2 * MS, false),           // ended before the statement started
                new Probes.Probe(5 * MS, 700 * MS, false),    // started before it, blocked until after it
                new Probes.Probe(20 * MS, 3 * MS, false),     // ran inside it
                new Probes.Probe(1000 * MS, 900 * MS, false));  // started after it ended

        assertThat(Probes.stallMs(probes, 10 * MS, 30 * MS)).isEqualTo(700);
        assertThat(Probes.stallMs(probes, 710 * MS, 720 * MS)).isZero();
        assertThat(Probes.stallMs(probes, 1500 * MS, 1600 * MS)).isEqualTo(900);
    }

    private static Query query(String name, String sql, int weight) {
        return new Query(name, sql, weight, Path.of("queries.sql"), 1);
    }

    @Test
    void theQueriesProbedAreThoseNamingATouchedTableAsAWord() {
        Query orders = query("orders", "SELECT * FROM Orders WHERE id = 1", 1);
        Query qualified = query("qualified", "SELECT count(*) FROM public.customers", 1);
        Query lookalike = query("lookalike", "SELECT * FROM orders_archive", 1);
        Query other = query("other", "SELECT * FROM products", 1);

        assertThat(Probes.touching(List.of(orders, qualified, lookalike, other), List.of("public.orders", "customers")))
                .containsExactly(orders, qualified);
        assertThat(Probes.touching(List.of(orders), List.of())).isEmpty();
    }

    @Test
    void tablesWhoseNamesBeginOrEndInPunctuationOrEmojiAreProbed() {
        Query pizza = query("pizza", "SELECT * FROM \"🍕\" WHERE id < 10", 1);
        Query draft = query("draft", "SELECT count(*) FROM \"(draft)\"", 1);
        Query items = query("items", "SELECT * FROM \"Order Items\" JOIN \"#tmp\" USING (id)", 1);
        Query other = query("other", "SELECT * FROM \"#tmp_old\"", 1);

        assertThat(Probes.touching(List.of(pizza, draft, items, other), List.of("🍕", "(draft)", "Order Items")))
                .containsExactly(pizza, draft, items);
        assertThat(Probes.touching(List.of(pizza, draft, items, other), List.of("#tmp"))).containsExactly(items);
        // A migration's script names the table the way SQL writes it, quoted; a table of another schema is qualified.
        assertThat(Probes.names("LOCK TABLE \"v1.2\" IN ACCESS EXCLUSIVE MODE;", "v1.2")).isTrue();
        assertThat(Probes.names("ALTER TABLE audit.\"#log\" ADD COLUMN c int;", "audit.#log")).isTrue();
        assertThat(Probes.names("ALTER TABLE audit.\"#log2\" ADD COLUMN c int;", "audit.#log")).isFalse();
    }

    @Test
    void theRoundRunsEachQueryAsOftenAsItsWeightSpreadOutAndEachTablesReadOnce() {
        Probes.Target target = new Probes.Target("SELECT * FROM t LIMIT 1", null, null, null);
        Query heavy = query("heavy", "SELECT * FROM t WHERE a = 1", 3);
        Query light = query("light", "SELECT * FROM t WHERE b = 2", 1);

        List<Probes.Read> round = Probes.round(List.of(target), List.of(heavy, light), Map.of("heavy", 5_000L));

        assertThat(round).extracting(Probes.Read::name)
                .containsExactly("SELECT * FROM t LIMIT 1", "heavy", "light", "heavy", "heavy");
        // A query's probe is judged against its own usual duration; one never timed counts in full.
        assertThat(round.get(1).usualNanos()).isEqualTo(5_000L);
        assertThat(round.get(2).usualNanos()).isZero();
        assertThat(round.get(1).sql()).isEqualTo(heavy.sql());
    }

    @Test
    void withoutQueriesTheRoundIsTheTablesOneRowReads() {
        Probes.Target a = new Probes.Target("SELECT * FROM a LIMIT 1", null, null, null);
        Probes.Target b = new Probes.Target("SELECT * FROM b LIMIT 1", null, null, null);

        assertThat(Probes.round(List.of(a, b), List.of(), Map.of())).extracting(Probes.Read::sql)
                .containsExactly(a.read(), b.read());
    }
}
