package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.RehearsalResult.Data;
import dev.schemarehearsal.harness.data.SampleData;
import dev.schemarehearsal.harness.plan.QueryPlans;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

/**
 * Gives the loaded tables their statistics and storage padding again (a rewrite resets them), plans every query,
 * compares each with its plan before and classifies it.
 */
public final class PlansAfter implements Stage {
    static final Product<QueryPlans.Outcome> QUERIES = new Product<>("the plans after the migrations");

    @Override
    public String name() {
        return "plans-after";
    }

    @Override
    public void run(RunContext run) {
        Prepare.Inputs inputs = run.get(Prepare.INPUTS);
        Data data = run.get(Load.DATA);
        PlansBefore.Plans plans = run.get(PlansBefore.PLANS);
        QueryPlans.Replanned replanned = run.get(Migrate.REPLANNED);
        run.put(QUERIES, run.onShadow(Purpose.PLANS, "planning the queries", c -> {
            boolean compareUnpadded = false;
            if (!inputs.queries().isEmpty() && !new SampleData(run.dialect(), run.config(), run.listener())
                    .refresh(c, data, inputs.statistics())) {
                run.listener().warn("Plans after compare with the plans before of the unpadded tables: the storage "
                        + "padding failed (above), so both are of the sample's size");
                compareUnpadded = true;
            }
            return plans.planner().after(c, plans.before(), replanned, compareUnpadded);
        }));
    }
}
