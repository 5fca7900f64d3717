package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalResult.Data;
import dev.schemarehearsal.harness.data.SampleData;
import dev.schemarehearsal.harness.plan.QueryPlans;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

/**
 * Plans every query on the baseline schema, on the tables padded to production's pages; then returns the padding's
 * pages, so that the migrations are measured on the sample's own size, and plans the queries again for the plans
 * after each migration to compare with.
 */
public final class PlansBefore implements Stage {
    static final Product<Plans> PLANS = new Product<>("the plans before the migrations");

    /** The queries' planner and their plans before the migrations. */
    record Plans(QueryPlans planner, QueryPlans.Before before) { }

    @Override
    public String name() {
        return "plans-before";
    }

    @Override
    public void run(RunContext run) {
        Prepare.Inputs inputs = run.get(Prepare.INPUTS);
        Data data = run.get(Load.DATA);
        RehearsalConfig.Plans settings = run.config().plans();
        QueryPlans planner = new QueryPlans(run.dialect(), inputs.queries(), settings.analyze(), settings.thresholds(),
                run.listener(), inputs.productionPlans());
        run.put(PLANS, new Plans(planner, run.onShadow(Purpose.PLANS, "planning the queries", c -> {
            QueryPlans.Before before = planner.before(c);
            if (data.padded().isEmpty()) {
                return before;
            }
            new SampleData(run.dialect(), run.config(), run.listener()).removePadding(c, data, inputs.statistics());
            return planner.unpadded(c, before);
        })));
    }
}
