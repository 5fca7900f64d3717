package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.Rehearsal;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalResult.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunContextTest {
    private static final Product<String> NAME = new Product<>("the name");

    @TempDir
    Path project;

    private RunContext run(List<RehearsalEvent> events) {
        return new RunContext(Rehearsal.configure().projectDirectory(project).baseline("1").load().config(), events::add);
    }

    @Test
    void aProductIsReadAfterItIsProduced() {
        RunContext run = run(new ArrayList<>());
        run.put(NAME, "orders");
        assertThat(run.get(NAME)).isEqualTo("orders");
    }

    @Test
    void readingAProductNoStageProducedYetFailsAtOnce() {
        RunContext run = run(new ArrayList<>());
        assertThatThrownBy(() -> run.get(NAME)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the name is read before a stage produced it: the stages run out of order");
        assertThatThrownBy(run::shadow).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the shadow database is read before a stage produced it");
    }

    @Test
    void aProductIsProducedOnce() {
        RunContext run = run(new ArrayList<>());
        run.put(NAME, "orders");
        assertThatThrownBy(() -> run.put(NAME, "customers")).isInstanceOf(IllegalStateException.class)
                .hasMessage("the name is produced twice");
        assertThat(run.get(NAME)).isEqualTo("orders");
    }

    @Test
    void phasesKeepTheOrderTheStagesRanIn() {
        RunContext run = run(new ArrayList<>());
        run.phase("start", 3);
        run.phase("baseline", 1);
        assertThat(run.phases()).containsExactly(new Phase("start", 3), new Phase("baseline", 1));
    }

    @Test
    void stagesBeforeAShadowStartedRemoveNothingAndTheirFailureIsTheOneReported() {
        List<RehearsalEvent> events = new ArrayList<>();
        RunContext run = run(events);
        run.withShadow(() -> { });
        IllegalStateException failure = new IllegalStateException("the start failed");
        assertThatThrownBy(() -> run.withShadow(() -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(events).isEmpty();
    }

    /** The backfill stage reads what Migrate scheduled: without it, the stages ran out of order. */
    @Test
    void backfillsBeforeMigrateFailAtOnce() {
        RunContext run = run(new ArrayList<>());
        Backfilling backfilling = new Backfilling();
        assertThat(backfilling.spentMs()).isZero();
        assertThatThrownBy(() -> backfilling.run(run)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the backfills are read before Migrate scheduled them: the stages run out of order");
    }
}
