package dev.schemarehearsal.harness.dialect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlTextTest {

    @Test
    void aNameIsFoundBareOrQuotedInAnyCaseButNotInsideALongerName() {
        assertThat(SqlText.names("SELECT * FROM Orders WHERE id = 1", "orders")).isTrue();
        assertThat(SqlText.names("ALTER TABLE \"orders\" ADD COLUMN c int", "orders")).isTrue();
        assertThat(SqlText.names("SELECT * FROM public.orders", "orders")).isTrue();
        assertThat(SqlText.names("SELECT * FROM orders_archive", "orders")).isFalse();
        assertThat(SqlText.names("SELECT * FROM old_orders", "orders")).isFalse();
        assertThat(SqlText.names("SELECT * FROM orders$2", "orders")).isFalse();
        assertThat(SqlText.names("SELECT * FROM bestellungenü", "bestellungen")).isFalse();
    }

    @Test
    void namesBeginningOrEndingInPunctuationSpacesOrEmojiAreFound() {
        assertThat(SqlText.names("ALTER TABLE \"order-items\" ADD COLUMN c int", "order-items")).isTrue();
        assertThat(SqlText.names("LOCK TABLE \"🍕\" IN SHARE MODE", "🍕")).isTrue();
        assertThat(SqlText.names("SELECT * FROM 🍕 LIMIT 1", "🍕")).isTrue();
        assertThat(SqlText.names("UPDATE \"#tmp\" SET n = 1", "#tmp")).isTrue();
        assertThat(SqlText.names("DELETE FROM \"(draft)\"", "(draft)")).isTrue();
        assertThat(SqlText.names("SELECT * FROM \"Order Items \" x", "Order Items ")).isTrue();
        assertThat(SqlText.names("SELECT * FROM `tmp#`", "tmp#")).isTrue();
        // Still not inside a longer name.
        assertThat(SqlText.names("SELECT * FROM \"#tmp_old\"", "#tmp")).isFalse();
        assertThat(SqlText.names("SELECT * FROM \"x🍕\"", "🍕")).isFalse();
        assertThat(SqlText.names("SELECT * FROM \"order-items\"", "-items")).isFalse();
    }

    @Test
    void aQuoteInsideANameIsFoundDoubledAsSqlWritesIt() {
        assertThat(SqlText.names("SELECT * FROM \"say \"\"hi\"\"\"", "say \"hi\"")).isTrue();
        assertThat(SqlText.names("SELECT * FROM `it``s`", "it`s")).isTrue();
    }
}
