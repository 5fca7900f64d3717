package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalResult.Data;
import dev.schemarehearsal.harness.data.SampleData;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Loads the sample data, scales it up if asked, analyzes it and applies production's statistics; where there are
 * queries to plan, the tables are padded to production's pages before the statistics go on top (padding resets them).
 */
public final class Load implements Stage {
    static final Product<Data> DATA = new Product<>("the loaded data");

    @Override
    public String name() {
        return "load";
    }

    @Override
    public void run(RunContext run) {
        try (Connection connection = run.shadow().connect(Purpose.LOAD)) {
            run.put(DATA, new SampleData(run.dialect(), run.config(), run.listener())
                    .load(connection, run.get(Prepare.INPUTS).statistics()));
        } catch (SQLException e) {
            throw new InfrastructureException("the shadow failed while loading the sample data: " + e.getMessage(),
                    "check the shadow database's log; the data itself was accepted up to this point", e);
        }
    }
}
