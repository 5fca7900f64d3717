package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.FailOn;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.history.History;

import java.util.OptionalLong;

/**
 * Reads the history of runs ({@code history}) before anything starts, so that a history that cannot be read fails in a
 * second, not after the rehearsal; the report compares the run with it, and {@link #append} adds the run once the
 * outputs are written. Not a phase of its own.
 */
public final class HistoryOfRuns implements Stage {
    static final Product<History> HISTORY = new Product<>("the history of runs");
    static final Product<History.Compared> COMPARED = new Product<>("the run compared with the history");

    @Override
    public String name() {
        return "history";
    }

    @Override
    public void run(RunContext run) {
        RehearsalConfig config = run.config();
        if (config.history() != null) {
            run.put(HISTORY, History.open(config.history(), config.projectDirectory(), run.listener()));
        } else if (config.limits().failOn().byNovelty()) {
            run.listener().warn("<failOn> counts " + FailOn.NEW + " findings, but no <history> is set: with no "
                    + "previous run to compare with, every finding is new. Set <history> to true, a folder or a "
                    + "database's URL");
        }
    }

    /** Appends the run to the history, when there is one; the outputs are written by then. */
    public static void append(RunContext run) {
        if (run.config().history() != null) {
            run.get(HISTORY).append(run.get(COMPARED).record());
        }
    }

    @Override
    public OptionalLong durationMs(long ranMs) {
        return OptionalLong.empty();
    }
}
