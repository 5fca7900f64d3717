package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.InfrastructureException;
import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.api.Query;
import dev.schemarehearsal.harness.api.RehearsalConfig;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.api.SampleResult;
import dev.schemarehearsal.harness.api.Secrets;
import dev.schemarehearsal.harness.api.SampleResult.TableSample;
import dev.schemarehearsal.harness.api.StatisticsSnapshot;
import dev.schemarehearsal.harness.data.StatisticsFile;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.Column;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;
import dev.schemarehearsal.harness.dialect.SampleQueries;
import dev.schemarehearsal.harness.plan.ProductionPlans;
import dev.schemarehearsal.harness.plan.QueriesFile;
import dev.schemarehearsal.harness.sample.SourceTable.Origin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Takes a referentially intact, masked sample of a source database, read-only: CSV files the rehearsal loads, the
 * source's statistics snapshot, and a summary.
 *
 * <pre>{@code
 * SampleResult result = Sample.configure()
 *         .projectDirectory(Path.of("."))
 *         .source("jdbc:postgresql://replica:5432/shop", "reader", password)
 *         .seed(42)
 *         .load()
 *         .run(event -> System.out.println(event.message()));
 * }</pre>
 *
 * Everything read comes from one read-only transaction on one snapshot; nothing is written to the source.
 */
public final class Sample {
    /** The file name of the summary, in the report directory. */
    public static final String SUMMARY = "sample-summary.json";
    /** The selection and masking rules, when {@code sampleConfig} is not set. */
    public static final Path CONFIG = Path.of("src/rehearsal/sample.json");
    /** The seed when {@code seed} is not set. */
    public static final long SEED = 0;
    /** The longest a statement on the source may run, when {@code statementTimeoutMs} is not set. */
    public static final long STATEMENT_TIMEOUT_MS = 300_000;
    /** Whether a source user that can write is sampled with all the same, when {@code allowWritableSource} is not set. */
    public static final boolean ALLOW_WRITABLE_SOURCE = false;
    /** Whether only the closure plan is printed, when {@code dryRun} is not set. */
    public static final boolean DRY_RUN = false;
    /** Flyway's own table: the rehearsal's Flyway writes it on the shadow, so a sample of it would collide. */
    private static final String FLYWAY_HISTORY = "flyway_schema_history";

    private final Settings settings;

    private record Settings(String sourceUrl, String user, String password, Path config, long seed, Path dataDirectory,
                            Path statistics, Path summary, long statementTimeoutMs, Path queries, Path plans,
                            boolean allowWritableSource, boolean dryRun) { }

    private Sample(Settings settings) {
        this.settings = settings;
    }

    public static Builder configure() {
        return new Builder();
    }

    /**
     * @throws ConfigurationException  for a bad {@code sample.json} or parameter, naming it
     * @throws InfrastructureException when the source cannot be read
     */
    public SampleResult run(RehearsalListener listener) {
        SamplePlan plan = SamplePlan.read(settings.config());
        // Everything a user wrote is read before anything is sent.
        Dialect expected = Dialect.forUrl(settings.sourceUrl()).orElseThrow();
        plan.checkWhereRules(settings.config(), expected);
        List<Query> queries = settings.queries() == null ? null : QueriesFile.read(settings.queries());
        if (queries != null) {
            queries.forEach(query -> checkQuery(query, expected));
        }
        String display = Secrets.redact(settings.sourceUrl()).replaceFirst("\\?.*", "");
        long start = System.nanoTime();
        try (Source source = Source.open(settings.sourceUrl(), settings.user(), settings.password(),
                settings.statementTimeoutMs())) {
            Connection connection = source.connection();
            Dialect dialect = source.dialect();
            checkPrivileges(source, display, listener);
            listener.info("Sampling " + display + " in a read-only transaction (statement timeout "
                    + settings.statementTimeoutMs() + " ms, seed " + settings.seed() + ")");
            Map<TableName, SourceTable> tables = catalog(connection, dialect, plan);
            Masks masks = new Masks(dialect, connection, tables, plan.masks(), listener);
            StatisticsSnapshot statistics = SourceStatistics.take(connection, dialect, tables.keySet(), masks.columns());
            long selecting = System.nanoTime();
            SampleQueries lookups = SampleQueries.of(dialect, connection);
            ClosurePlan closure = ClosurePlan.read(source, lookups, settings.config(), tables);
            Selection selection = new Selection(source, lookups, settings.config(), settings.seed(), closure, listener);
            List<String> closurePlan = selection.describePlan(statistics);
            closurePlan.forEach(listener::info);
            if (settings.dryRun()) {
                connection.rollback();
                listener.info("Dry run: the plan above is all; no row was read and no file written");
                return new SampleResult(display, settings.seed(), List.of(), Map.of(), closure.unfollowed(), 0,
                        closurePlan);
            }
            selection.run();
            long collecting = System.nanoTime();
            ProductionPlans plans = queries == null ? null : plans(source, queries, listener);
            // Nothing to commit: the transaction only read. Ended now, so its snapshot is not held while files are written.
            connection.rollback();
            long writing = System.nanoTime();
            SampleResult result = write(tables, masks, statistics, selection, closure, closurePlan, display, listener);
            if (plans != null) {
                plans.write(settings.plans());
                listener.info("Production's plans of " + plans.queries().size() + " quer"
                        + (plans.queries().size() == 1 ? "y" : "ies") + " of " + settings.queries() + " (EXPLAIN, not "
                        + "run) written to " + settings.plans());
            }
            long end = System.nanoTime();
            log(result, listener);
            listener.info(String.format("Took %,d ms: catalog and statistics %,d ms, selection %,d ms, plans %,d ms, "
                    + "masking and writing %,d ms", (end - start) / 1_000_000, (selecting - start) / 1_000_000,
                    (collecting - selecting) / 1_000_000, (writing - collecting) / 1_000_000, (end - writing) / 1_000_000));
            return result;
        } catch (SQLException e) {
            throw new InfrastructureException("reading the source " + display + " failed: " + e.getMessage().strip(),
                    "check <sourceUrl> and the credentials (<serverId>, or <sourceUser>/<sourcePassword>); if a statement "
                            + "timed out, raise <statementTimeoutMs> or narrow the rules in " + settings.config(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A user that can write is refused, unless {@code allowWritableSource}: then it is warned about. The read-only walls
     * hold either way, but only a user without write privileges holds against what they miss.
     */
    private void checkPrivileges(Source source, String display, RehearsalListener listener) throws SQLException {
        List<String> privileges = source.dialect().writePrivileges(source.connection());
        if (privileges.isEmpty()) {
            return;
        }
        String user = source.connection().getMetaData().getUserName();
        String held = "the source user " + user + " can write to " + display + ": " + String.join("; ", privileges);
        String recipe = "the README's Security section gives the GRANTs of a user with SELECT privileges only";
        if (!settings.allowWritableSource()) {
            throw new ConfigurationException("allowWritableSource", held, "sample as a user that can only read ("
                    + recipe + "), or set <allowWritableSource>true</allowWritableSource> (-Dschema.allowWritableSource"
                    + "=true) to sample with this one anyway");
        }
        listener.warn("WRITABLE SOURCE: " + held + ". Sampling anyway, as allowWritableSource is set: only reads are "
                + "sent, in a read-only transaction, but nothing but the user's privileges stops what those walls miss; "
                + recipe);
    }

    /**
     * Refuses, before anything is sent to the source, a query that is not exactly one SELECT that only reads (see
     * {@link SourceSql}), naming the file's line at fault.
     */
    private static void checkQuery(Query query, Dialect dialect) {
        SourceSql.Problem problem = SourceSql.select(dialect, query.sql());
        if (problem != null) {
            throw new ConfigurationException("queries", query.file() + ":" + (sqlLine(query) + problem.line() - 1)
                    + ": query '" + query.name() + "' is not sent to the source: " + problem.reason(),
                    "write one SELECT that only reads (WITH … SELECT included), or give schema:sample a <queries> file "
                            + "without it");
        }
    }

    /** The file line the query's SQL starts on: the first line after its header that is neither blank nor a comment. */
    private static int sqlLine(Query query) {
        try {
            List<String> lines = Files.readAllLines(query.file());
            for (int i = query.line(); i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty() && !line.startsWith("--")) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            // The query's header line is named instead.
        }
        return query.line();
    }

    /**
     * Production's plans of the queries with plain EXPLAIN (never ANALYZE: nothing runs), each behind a savepoint, so a
     * query the source refuses is skipped with a warning and the transaction goes on.
     */
    private static ProductionPlans plans(Source source, List<Query> queries, RehearsalListener listener)
            throws SQLException {
        Connection connection = source.connection();
        Map<String, PlanNode> plans = new LinkedHashMap<>();
        for (Query query : queries) {
            String origin = query.location() + ": query '" + query.name() + "'";
            Savepoint savepoint = connection.setSavepoint();
            try {
                plans.put(query.name(), source.userStatement("queries", origin, query.sql(),
                        () -> source.dialect().explain(connection, query.sql(), false)).plan());
            } catch (SQLException e) {
                listener.warn(origin + " not planned on the source: " + e.getMessage().strip().lines().findFirst()
                        .orElse("") + "; it has no production plan");
            } finally {
                connection.rollback(savepoint);
            }
            source.checkReadOnly("queries", origin);
        }
        return new ProductionPlans(source.dialect().engine().id(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), plans);
    }

    /** Every base table of the source's schema but the excluded ones, with its rule. */
    private Map<TableName, SourceTable> catalog(Connection connection, Dialect dialect, SamplePlan plan) throws SQLException {
        List<TableName> all = dialect.tables(connection);
        String names = all.stream().map(TableName::name).collect(Collectors.joining(", "));
        List<TableName> excluded = new ArrayList<>();
        excluded.add(dialect.tableName(connection, FLYWAY_HISTORY));
        for (String name : plan.exclude()) {
            excluded.add(known(dialect.tableName(connection, name), all, "$.exclude: " + name, names));
        }
        Map<TableName, SamplePlan.TableRule> rules = new LinkedHashMap<>();
        for (Map.Entry<String, SamplePlan.TableRule> rule : plan.tables().entrySet()) {
            TableName table = known(dialect.tableName(connection, rule.getKey()), all, "$.tables." + rule.getKey(), names);
            if (excluded.contains(table)) {
                throw new ConfigurationException(SamplePlan.PARAMETER, settings.config() + ": $.tables." + rule.getKey()
                        + ": the table is excluded too", "remove it from $.exclude or from $.tables");
            }
            rules.put(table, rule.getValue());
        }
        Map<TableName, SourceTable> tables = new LinkedHashMap<>();
        for (TableName table : all) {
            if (excluded.contains(table)) {
                continue;
            }
            SamplePlan.TableRule rule = rules.get(table);
            List<Column> columns = dialect.columns(connection, table).orElseThrow();
            tables.put(table, new SourceTable(table, columns, dialect.primaryKey(connection, table),
                    dialect.references(connection, table), rule,
                    plan.referencingLimit(rule)));
        }
        return tables;
    }

    private TableName known(TableName table, List<TableName> all, String at, String names) {
        if (!all.contains(table)) {
            throw new ConfigurationException(SamplePlan.PARAMETER, settings.config() + ": " + at
                    + ": the source has no such table", "its tables are " + names);
        }
        return table;
    }

    private SampleResult write(Map<TableName, SourceTable> tables, Masks masks, StatisticsSnapshot statistics,
                               Selection selection, ClosurePlan closure, List<String> plan, String display,
                               RehearsalListener listener) throws IOException {
        // Every value is masked before any file is written, so a mask that cannot apply leaves no file behind. Tables
        // are masked, ordered and written side by side: each is its own work, with a masker of its own.
        List<SourceTable> sampled = List.copyOf(tables.values());
        List<List<String[]>> masked = sampled.parallelStream().map(table -> {
            List<String[]> rows = table.rows();
            masks.apply(table, rows, new Masker(settings.seed()));
            table.sort(rows);
            return table.parentsFirst(rows);
        }).toList();
        Files.createDirectories(settings.dataDirectory());
        List<TableSample> samples = IntStream.range(0, sampled.size()).parallel().mapToObj(i -> {
            SourceTable table = sampled.get(i);
            String file = table.name.name() + ".csv";
            try {
                long rows = SampleFiles.writeCsv(settings.dataDirectory().resolve(file), table.columns, masked.get(i));
                return new TableSample(table.name.name(), file, rows, table.count(Origin.SELECTED),
                        table.count(Origin.REFERENCED), table.count(Origin.REFERENCING), table.addedVia());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
        Set<String> written = samples.stream().map(TableSample::file).collect(Collectors.toSet());
        try (Stream<Path> listing = Files.list(settings.dataDirectory())) {
            listing.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".csv") && !written.contains(f)).sorted()
                    .forEach(f -> listener.warn(settings.dataDirectory().resolve(f) + " was not written by this sample; "
                            + "the rehearsal loads it too: delete it if its table is no longer sampled"));
        }
        SampleFiles.writeJson(settings.statistics(), statistics);
        // The rehearsal must accept what was written: read it back as it will.
        StatisticsFile.read(settings.statistics());
        SampleResult result = new SampleResult(display, settings.seed(), samples, masks.described(), closure.unfollowed(),
                selection.dangling(), plan);
        SampleFiles.writeJson(settings.summary(), result);
        return result;
    }

    private void log(SampleResult result, RehearsalListener listener) {
        long total = result.tables().stream().mapToLong(TableSample::rows).sum();
        listener.info(String.format("Sampled %,d rows of %d tables:", total, result.tables().size()));
        int width = result.tables().stream().mapToInt(t -> t.table().length()).max().orElse(0);
        for (TableSample table : result.tables()) {
            listener.info(String.format("  %-" + width + "s %,10d rows: %,d by its rule, %,d referenced by sampled rows, "
                    + "%,d referencing sampled rows", table.table(), table.rows(), table.selected(), table.referenced(),
                    table.referencing()));
            table.addedVia().forEach((via, rows) -> listener.info(String.format("  %-" + width + "s %,10d added via %s", "",
                    rows, via)));
        }
        result.unfollowed().forEach(line -> listener.warn("Foreign key not followed: " + line));
        listener.info("Wrote " + settings.dataDirectory() + ", " + settings.statistics() + " and " + settings.summary());
    }

    /** Collects and validates the parameters; relative paths resolve against the project directory. */
    public static final class Builder {
        private Path projectDirectory = Path.of("").toAbsolutePath();
        private String sourceUrl;
        private String user;
        private String password;
        private Path config;
        private long seed = SEED;
        private Path dataDirectory;
        private Path statistics;
        private Path reportDirectory;
        private long statementTimeoutMs = STATEMENT_TIMEOUT_MS;
        private Path queries;
        private boolean noQueries;
        private Path plans;
        private boolean allowWritableSource = ALLOW_WRITABLE_SOURCE;
        private boolean dryRun = DRY_RUN;

        private Builder() {
        }

        public Builder projectDirectory(Path projectDirectory) {
            this.projectDirectory = projectDirectory.toAbsolutePath();
            return this;
        }

        /** The source's JDBC URL ({@code jdbc:postgresql:}, {@code jdbc:mysql:} or {@code jdbc:mariadb:}) and credentials. */
        public Builder source(String url, String user, String password) {
            this.sourceUrl = url == null || url.isBlank() ? null : url.trim();
            this.user = user;
            this.password = password;
            return this;
        }

        /** The selection and masking rules. Default {@code src/rehearsal/sample.json}. */
        public Builder config(Path config) {
            this.config = config;
            return this;
        }

        /** Chooses the rows and keys the masks: the same seed gives the same files. Default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Where the CSV files go. Default {@code src/rehearsal/data}. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        /** Where the statistics snapshot goes. Default {@code src/rehearsal/stats.json}. */
        public Builder statistics(Path statistics) {
            this.statistics = statistics;
            return this;
        }

        /** Where {@value Sample#SUMMARY} goes. Default {@code target/schema-rehearsal}. */
        public Builder reportDirectory(Path reportDirectory) {
            this.reportDirectory = reportDirectory;
            return this;
        }

        /** The longest a statement on the source may run, in milliseconds. Default 300000. */
        public Builder statementTimeoutMs(long statementTimeoutMs) {
            this.statementTimeoutMs = statementTimeoutMs;
            return this;
        }

        /**
         * The queries whose plans on the source are captured (EXPLAIN only) into {@link #productionPlans}. Default
         * {@code src/rehearsal/queries.sql} when it exists; none are captured without one.
         */
        public Builder queries(Path queries) {
            this.queries = queries;
            this.noQueries = false;
            return this;
        }

        /** Captures no plans, even when the default {@code src/rehearsal/queries.sql} exists ({@code queries=none}). */
        public Builder noQueries() {
            this.queries = null;
            this.noQueries = true;
            return this;
        }

        /** Where production's plans go. Default {@code src/rehearsal/plans.json}. */
        public Builder productionPlans(Path plans) {
            this.plans = plans;
            return this;
        }

        /**
         * Samples even when the source user holds privileges that could write (with a warning); otherwise such a user
         * is refused before anything is read. Default false.
         */
        public Builder allowWritableSource(boolean allowWritableSource) {
            this.allowWritableSource = allowWritableSource;
            return this;
        }

        /**
         * Prints the closure plan (the foreign keys followed, how each lookup reads its table, the rows expected from
         * the source's statistics) and stops: no row is read, no file written. Default false.
         */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        public Sample load() {
            if (sourceUrl == null) {
                throw new ConfigurationException("sourceUrl", "no source is set",
                        "set <sourceUrl> to the JDBC URL of the database to sample, e.g. jdbc:postgresql://replica:5432/shop");
            }
            if (Dialect.forUrl(sourceUrl).isEmpty()) {
                throw new ConfigurationException("sourceUrl", "'" + sourceUrl + "' is not a PostgreSQL, MySQL or MariaDB "
                        + "JDBC URL", "write jdbc:postgresql://host:port/database, jdbc:mysql://… or jdbc:mariadb://…");
            }
            if (statementTimeoutMs <= 0) {
                throw new ConfigurationException("statementTimeoutMs", statementTimeoutMs + " is not a timeout",
                        "set <statementTimeoutMs> to milliseconds, more than 0");
            }
            Path plan = projectDirectory.resolve(config == null ? CONFIG : config);
            if (!Files.isRegularFile(plan)) {
                throw new ConfigurationException(SamplePlan.PARAMETER, "the sample configuration " + plan + " does not exist",
                        "create it, e.g. {\"tables\": {\"orders\": {\"percent\": 1}}, \"masks\": {\"customers.email\": "
                                + "\"email\"}}, or point <sampleConfig> at it");
            }
            return new Sample(new Settings(sourceUrl, user, password, plan, seed,
                    projectDirectory.resolve(dataDirectory == null ? RehearsalConfig.Data.DIRECTORY : dataDirectory),
                    projectDirectory.resolve(statistics == null ? RehearsalConfig.Data.STATISTICS : statistics),
                    projectDirectory.resolve(reportDirectory == null ? RehearsalConfig.Outputs.REPORT_DIRECTORY
                            : reportDirectory).resolve(SUMMARY), statementTimeoutMs, queries(),
                    projectDirectory.resolve(plans == null ? RehearsalConfig.Plans.PRODUCTION_PLANS : plans),
                    allowWritableSource, dryRun));
        }

        private Path queries() {
            if (noQueries) {
                return null;
            }
            if (queries == null) {
                Path standard = projectDirectory.resolve(RehearsalConfig.Plans.QUERIES);
                return Files.isRegularFile(standard) ? standard : null;
            }
            Path file = projectDirectory.resolve(queries);
            if (!Files.isRegularFile(file)) {
                throw new ConfigurationException("queries", "the queries file " + file + " does not exist",
                        "create it (-- name: <id> before each query, ';' at the end; see the README), or remove <queries>");
            }
            return file;
        }
    }
}
