package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalEvent;
import dev.schemarehearsal.harness.api.RehearsalInterruptedException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class InterruptionTest {

    @Test
    void aFailureOfAnInterruptedRehearsalIsTheInterruptionNamingTheStage() {
        List<RehearsalEvent> events = new ArrayList<>();
        RuntimeException failure = new InfrastructureException("the shadow failed while planning the queries",
                "check the shadow database's log", null);
        try (Interruption run = Interruption.watch(events::add, "start")) {
            run.stage("plans-before");
            Thread.currentThread().interrupt();

            RuntimeException reported = run.of(failure);
            RuntimeException again = run.of(reported);

            assertThat(reported).isInstanceOfSatisfying(RehearsalInterruptedException.class, e -> {
                assertThat(e.stage()).isEqualTo("plans-before");
                assertThat(e).hasMessage("interrupted during the plans-before stage; the shadow is removed").hasCause(failure);
            });
            assertThat(again).isSameAs(reported);
        } finally {
            Thread.interrupted();
        }
        assertThat(events).extracting(RehearsalEvent::level, RehearsalEvent::message).containsExactly(
                tuple(RehearsalEvent.Level.WARN,
                        "Interrupted during the plans-before stage: the rehearsal stops and its shadow is removed"));
    }

    @Test
    void aFailureOfARehearsalNobodyInterruptedIsItself() {
        RuntimeException failure = new IllegalStateException("broken");
        try (Interruption run = Interruption.watch(event -> { }, "migrate")) {
            assertThat(run.of(failure)).isSameAs(failure);
        }
    }
}
