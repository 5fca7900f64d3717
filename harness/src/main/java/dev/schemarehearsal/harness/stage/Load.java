package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalResult.Data;
import dev.schemarehearsal.harness.data.SampleData;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Loads the sample data, scales it up if asked, analyzes it and applies production's statistics; where there are
 * queries to plan, the tables are padded to production's pages before the statistics go on top (padding resets them).
 * A clone holds production's data and statistics: nothing is loaded, and the stage takes no phase.
 */
public final class Load implements Stage {
    static final Product<Data> DATA = new Product<>("the loaded data");

    private boolean loaded = true;

    @Override
    public String name() {
        return "load";
    }

    @Override
    public void run(RunContext run) {
        RehearsalConfig config = run.config();
        if (config.shadow().isClone()) {
            loaded = false;
            List<String> unused = new ArrayList<>();
            if (Files.isDirectory(config.data().directory())) {
                unused.add("the sample data in " + config.data().directory());
            }
            if (config.data().scale() != null) {
                unused.add("<scale>");
            }
            if (config.data().statistics() != null) {
                unused.add("the statistics snapshot " + config.data().statistics());
            }
            run.listener().info("Load: nothing loaded, scaled, padded or analyzed: the clone holds production's data and "
                    + "statistics" + (unused.isEmpty() ? "" : " (not used: " + String.join(", ", unused) + ")"));
            run.put(DATA, new Data(List.of()));
            return;
        }
        try (Connection connection = run.shadow().connect(Purpose.LOAD)) {
            run.put(DATA, new SampleData(run.dialect(), run.config(), run.listener())
                    .load(connection, run.get(Prepare.INPUTS).statistics()));
        } catch (SQLException e) {
            throw new InfrastructureException("the shadow failed while loading the sample data: " + e.getMessage(),
                    "check the shadow database's log; the data itself was accepted up to this point", e);
        }
    }

    @Override
    public OptionalLong durationMs(long ranMs) {
        return loaded ? OptionalLong.of(ranMs) : OptionalLong.empty();
    }
}
