package dev.schemarehearsal.harness.stage;

import dev.schemarehearsal.harness.migrate.Migration;
import dev.schemarehearsal.harness.migrate.MigrationRunner;
import dev.schemarehearsal.harness.migrate.MigrationSource;

import java.util.List;

/**
 * Brings the shadow to the schema production has: every migration up to and including the baseline (none for
 * {@code none}: the shadow stays empty).
 */
public final class Baseline implements Stage {
    static final Product<Pending> PENDING = new Product<>("the pending migrations");

    /**
     * The migrations above the baseline and where they come from.
     *
     * @param migrations in the order they apply
     */
    record Pending(MigrationSource source, List<Migration> migrations) {
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
        MigrationSource source = MigrationSource.of(run.config().migrations(), run.shadow());
        List<Migration> pending;
        try {
            pending = new MigrationRunner(source, run.shadow(), run.listener())
                    .migrateToBaseline(run.config().migrations().baseline());
        } catch (MigrationRunner.BaselineFailed e) {
            run.listener().warn("Migration " + e.migration().script() + " failed: " + e.migration().error());
            throw new Stopped(name(), List.of(e.migration()), List.of(e.finding()));
        }
        run.put(PENDING, new Pending(source, pending));
    }
}
