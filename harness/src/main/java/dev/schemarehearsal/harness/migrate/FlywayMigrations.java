package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.shadow.ShadowDatabase;
import dev.schemarehearsal.harness.shadow.ShadowDatabase.Purpose;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Flyway applies the migrations, so placeholders, script configuration and transaction handling are Flyway's own.
 */
final class FlywayMigrations implements MigrationSource {
    /** Flyway's own progress lines repeat ours: keep its warnings only. Held so the level isn't collected away. */
    private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");
    /**
     * Flyway's error line on a failed migration speaks of a production database ("Please restore backups and roll
     * back database and code!"); the shadow's failure is told by the rehearsal, with the file, line and engine message.
     */
    private static final Logger FLYWAY_MIGRATE_LOG = Logger.getLogger("org.flywaydb.core.internal.command.DbMigrate");

    static {
        FLYWAY_LOG.setLevel(Level.WARNING);
        FLYWAY_MIGRATE_LOG.setFilter(message -> message.getLevel() != Level.SEVERE);
    }

    private final List<String> locations;
    private final Dialect dialect;
    private final DataSource shadow;
    private final String historyTable;

    FlywayMigrations(List<String> locations, ShadowDatabase shadow) {
        this.locations = List.copyOf(locations);
        this.dialect = shadow.dialect();
        this.shadow = shadow.dataSource(Purpose.MIGRATION);
        this.historyTable = configure().getTable().toLowerCase(Locale.ROOT);
    }

    @Override
    public List<Migration> migrateToBaseline(DataSource database, String baseline, Events events) {
        Flyway flyway = configure().target(MigrationVersion.LATEST).load();
        List<MigrationInfo> all = Arrays.asList(flyway.info().all());
        FlywayScripts.requireBaseline(locations, all.stream().map(MigrationInfo::getVersion).filter(v -> v != null).toList(),
                baseline);
        if (!RehearsalConfig.Migrations.NONE.equals(baseline)) {
            migrate(database, baseline, events);
        }
        return Arrays.stream(flyway.info().pending()).map(FlywayMigrations::migration).toList();
    }

    @Override
    public Optional<Recorded> recordedVersion() {
        MigrationInfo current = configure().load().info().current();
        return current == null || current.getVersion() == null ? Optional.empty()
                : Optional.of(new Recorded(current.getVersion().getVersion(), "Flyway history table " + historyTable));
    }

    @Override
    public List<Migration> takeAsBaseline(String baseline) {
        Optional<Recorded> recorded = recordedVersion();
        if (recorded.isPresent()) {
            if (!MigrationVersion.fromVersion(recorded.get().version()).equals(MigrationVersion.fromVersion(baseline))) {
                throw new ConfigurationException("baseline", "the clone's " + recorded.get().where() + " says production "
                        + "is at version " + recorded.get().version() + ", but <baseline> is " + baseline,
                        "remove <baseline>: on a clone production's version is read from its history");
            }
        } else {
            Flyway flyway = configure().target(MigrationVersion.LATEST).load();
            FlywayScripts.requireBaseline(locations, Arrays.stream(flyway.info().all()).map(MigrationInfo::getVersion)
                    .filter(v -> v != null).toList(), baseline);
            configure().baselineVersion(baseline).baselineDescription("production as the clone holds it").load()
                    .baseline();
        }
        return Arrays.stream(configure().load().info().pending()).map(FlywayMigrations::migration).toList();
    }

    @Override
    public void migrate(DataSource database, String target, Events events) {
        try {
            configure().dataSource(database).callbacks(new Callbacks(events))
                    .target(target == null ? MigrationVersion.LATEST : MigrationVersion.fromVersion(target))
                    .load().migrate();
        } catch (FlywayException e) {
            throw new Failed(engineError(e), e);
        }
    }

    @Override
    public void repair(DataSource database) {
        try {
            configure().dataSource(database).load().repair();
        } catch (FlywayException e) {
            throw new Failed(engineError(e), e);
        }
    }

    @Override
    public List<Migration> applied() {
        return Arrays.stream(configure().load().info().applied()).map(FlywayMigrations::migration).toList();
    }

    /**
     * Flyway re-applies a repeatable migration when its checksum changes: the script is copied with a comment
     * appended into a folder of its own, which Flyway is pointed at alone.
     */
    @Override
    public void reapply(Migration repeatable) {
        Path script = Path.of(repeatable.location());
        Path folder = null;
        try {
            folder = Files.createTempDirectory("schema-rehearsal-repeatable");
            Files.writeString(folder.resolve(script.getFileName()), Files.readString(script)
                    + "\n-- applied again by the schema rehearsal\n");
            Path conf = Path.of(script + ".conf");
            if (Files.exists(conf)) {
                Files.copy(conf, folder.resolve(conf.getFileName()));
            }
            configure().locations("filesystem:" + folder).validateOnMigrate(false).load().migrate();
        } catch (FlywayException e) {
            throw new Failed(engineError(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(folder);
        }
    }

    /** Flyway applies a script without a statement as a no-op, and records it as applied. */
    @Override
    public String ranNoStatement(Migration migration) {
        return migration.location() == null || migration.location().isEmpty() ? null
                : FlywayScripts.emptyScript(migration.version());
    }

    @Override
    public boolean ownTable(String table) {
        return table.toLowerCase(Locale.ROOT).endsWith(historyTable);
    }

    @Override
    public boolean ownStatement(String sql) {
        return sql.toLowerCase(Locale.ROOT).contains(historyTable) || detectingDatabaseType();
    }

    /** Flyway asks each migration's connection which database it is (SELECT version()): its query, not the migration's. */
    private static boolean detectingDatabaseType() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                f -> f.getClassName().equals("org.flywaydb.core.internal.database.DatabaseTypeRegister")));
    }

    @Override
    public <T> T quietly(Supplier<T> work) {
        Level level = FLYWAY_LOG.getLevel();
        FLYWAY_LOG.setLevel(Level.OFF);
        try {
            return work.get();
        } finally {
            FLYWAY_LOG.setLevel(level);
        }
    }

    private FluentConfiguration configure() {
        FluentConfiguration flyway = Flyway.configure(FlywayMigrations.class.getClassLoader())
                .dataSource(shadow)
                .locations(locations.toArray(String[]::new))
                .cleanDisabled(true);
        dialect.configure(flyway);
        return flyway;
    }

    private static Migration migration(MigrationInfo info) {
        return new Migration(info.getVersion() == null ? null : info.getVersion().getVersion(), info.getDescription(),
                info.getScript(), info.getPhysicalLocation());
    }

    /** The engine's own words, with the statement's line when Flyway knows it. */
    private static String engineError(FlywayException e) {
        int line = -1;
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof SQLException)) {
            if (cause instanceof FlywaySqlScriptException script) {
                line = script.getLineNumber();
            }
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage().strip();
        return line > 0 ? "line " + line + ": " + message : message;
    }

    private static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(folder);
        } catch (IOException e) {
            // A temporary folder left behind harms nothing.
        }
    }

    /** Tells the events about each migration Flyway applies. */
    private static final class Callbacks implements Callback {
        private final Events events;

        Callbacks(Events events) {
            this.events = events;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE
                    || event == Event.AFTER_EACH_MIGRATE_ERROR;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            Migration migration = migration(context.getMigrationInfo());
            if (event == Event.BEFORE_EACH_MIGRATE) {
                try {
                    events.starting(migration, context.getConnection());
                } catch (SQLException e) {
                    throw new FlywayException("could not read the schema before " + migration.script() + ": "
                            + e.getMessage(), e);
                }
            } else if (event == Event.AFTER_EACH_MIGRATE) {
                events.applied(migration);
            } else {
                events.failed(migration);
            }
        }

        @Override
        public String getCallbackName() {
            return "schema-rehearsal";
        }
    }
}
