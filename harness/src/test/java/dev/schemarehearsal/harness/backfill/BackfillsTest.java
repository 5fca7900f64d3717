package dev.schemarehearsal.harness.backfill;

import dev.schemarehearsal.harness.api.Backfill;
import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackfillsTest {

    private static Backfill after(String name, String version) {
        return BackfillFiles.parse(Path.of(name + ".sql"), List.of("-- after: " + version, "-- table: t", "-- key: id",
                "UPDATE t SET c = 1 WHERE id > :from AND id <= :to AND c IS NULL;"));
    }

    @Test
    void runsAfterPendingMigrationsAndSkipsThoseProductionHas() {
        List<RehearsalEvent> events = new ArrayList<>();
        Backfills.Schedule backfills = Backfills.schedule(List.of(after("old", "2"), after("new", "5"), after("also", "5")),
                List.of("4", "5", "6"), "3", events::add);
        assertThat(backfills.versions()).containsExactly("5");
        assertThat(backfills.tables()).containsExactly("t");
        assertThat(events).extracting(RehearsalEvent::message).containsExactly(
                "Backfill old skipped: it follows migration 2, which production already has (baseline 3)");
    }

    @Test
    void aVersionThatIsNoPendingMigrationNamesTheFileAndLine() {
        assertThatThrownBy(() -> Backfills.schedule(List.of(after("typo", "9")), List.of("4", "5"), "3", event -> { }))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("typo.sql:1: '-- after: 9' names no pending migration; the pending versions are 4, 5");
        assertThatThrownBy(() -> Backfills.schedule(List.of(after("twice", "4"), after("twice", "5")),
                List.of("4", "5"), "3", event -> { }))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("twice.sql:1: a second backfill is named twice");
    }
}
