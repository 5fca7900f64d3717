package dev.schemarehearsal.harness.stage;

import java.util.OptionalLong;

/**
 * One stage of a rehearsal: it reads what earlier stages produced from the run and adds what it produces. Stages run
 * in the order {@code Rehearsal.run} lists them; each is timed as a phase of {@code report.json}.
 */
public interface Stage {
    /** Its name in {@code report.json}'s {@code phases[]}, e.g. {@code plans-before}. */
    String name();

    /** Does the stage's work on the run. */
    void run(RunContext run);

    /**
     * The phase's duration: the time {@link #run} took, unless part of it is another stage's (backfills run between
     * migrations); empty when the stage takes no phase.
     */
    default OptionalLong durationMs(long ranMs) {
        return OptionalLong.of(ranMs);
    }
}
