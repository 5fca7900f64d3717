package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.api.LintResult;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.migrate.Migration;
import dev.schemarehearsal.harness.migrate.MigrationRunner;
import dev.schemarehearsal.harness.migrate.MigrationSource;

import java.util.List;

/**
 * Brings the shadow to the schema production has: every migration up to and including the baseline (none for
 * {@code none}: the shadow stays empty). A clone has it already: the migrations up to the baseline are taken as
 * applied, never run again, and the baseline may be read from the clone's record of them.
 */
public final class Baseline implements Stage {
    static final Product<Pending> PENDING = new Product<>("the pending migrations");

    /**
     * The migrations above the baseline and where they come from.
     *
     * @param migrations in the order they apply
     * @param baseline   the version production is at
     * @param lint       lint's view of the pending migrations
     */
    record Pending(MigrationSource source, List<Migration> migrations, String baseline, LintResult lint) {
        Pending {
            migrations = List.copyOf(migrations);
        }

        /** The pending migrations' versions, repeatable ones left out. */
        List<String> versions() {
            return migrations.stream().map(Migration::version).filter(v -> v != null).toList();
        }
    }

    @Override
    public String name() {
        return "baseline";
    }

    /** @throws Stopped when a migration up to the baseline fails: there is no production schema to rehearse on */
    @Override
    public void run(RunContext run) {
        RehearsalConfig config = run.config();
        MigrationSource source = MigrationSource.of(config.migrations(), run.shadow());
        MigrationRunner runner = new MigrationRunner(source, run.shadow(), run.listener());
        LintResult lint = run.get(Prepare.INPUTS).lint();
        if (config.shadow().isClone()) {
            MigrationRunner.Baseline baseline = runner.takeAsBaseline(config.migrations().baseline());
            run.put(PENDING, new Pending(source, baseline.pending(), baseline.version(),
                    lint != null ? lint : Prepare.lint(config.withBaseline(baseline.version()), run)));
            return;
        }
        String baseline = config.migrations().baseline();
        try {
            run.put(PENDING, new Pending(source, runner.migrateToBaseline(baseline), baseline, lint));
        } catch (MigrationRunner.BaselineFailed e) {
            run.listener().warn("Migration " + e.migration().script() + " failed: " + e.migration().error());
            throw new Stopped(name(), List.of(e.migration()), List.of(e.finding()));
        }
    }
}
