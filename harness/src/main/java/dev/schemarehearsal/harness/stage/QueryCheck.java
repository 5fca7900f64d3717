package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.plan.QueryPlans;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import java.util.OptionalLong;

/**
 * EXPLAINs every query on the baseline schema while its tables are still empty, in milliseconds: a query that fails
 * there stops the rehearsal before the data loads, which can take minutes. Not a phase of its own.
 */
public final class QueryCheck implements Stage {

    @Override
    public String name() {
        return "query-check";
    }

    @Override
    public void run(RunContext run) {
        Prepare.Inputs inputs = run.get(Prepare.INPUTS);
        if (inputs.queries().isEmpty()) {
            return;
        }
        QueryPlans planner = new QueryPlans(run.dialect(), inputs.queries(), false, run.config().plans().thresholds(),
                run.listener(), null);
        run.onShadow(Purpose.PLANS, "checking the queries", c -> {
            planner.check(c);
            return null;
        });
        run.listener().info("Queries: " + inputs.queries().size() + " planned on the baseline schema before the load");
    }

    @Override
    public OptionalLong durationMs(long ranMs) {
        return OptionalLong.empty();
    }
}
