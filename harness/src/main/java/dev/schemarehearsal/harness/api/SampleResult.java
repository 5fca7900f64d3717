package dev.schemarehearsal.harness.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code schema:sample} took from the source: the summary it logs and writes to {@code sample-summary.json}.
 * Field names are the JSON's.
 *
 * @param source     the source's JDBC URL, without credentials
 * @param seed       the seed the selection and the masks used
 * @param tables     one entry per table written, in name order
 * @param masked     the masked columns, {@code table.column}, with their mask kind
 * @param unfollowed foreign keys the closure could not follow (into excluded tables or other schemas)
 * @param dangling   references in the source that point at no row (constraints not enforced on the source)
 * @param plan       the closure plan as the log printed it before any row was read: the foreign keys followed, how
 *                   each lookup reads its table, and the rows expected from the source's statistics
 */
public record SampleResult(String source, long seed, List<TableSample> tables, Map<String, String> masked,
                           List<String> unfollowed, long dangling, List<String> plan) {

    public SampleResult {
        tables = List.copyOf(tables);
        masked = Collections.unmodifiableMap(new LinkedHashMap<>(masked));
        unfollowed = List.copyOf(unfollowed);
        plan = List.copyOf(plan);
    }

    /**
     * One table of the sample.
     *
     * @param table       the table's name
     * @param file        the CSV file written, relative to the data directory
     * @param rows        rows written
     * @param selected    rows its own rule selected
     * @param referenced  rows added because sampled rows reference them (the foreign-key closure)
     * @param referencing rows added because they reference sampled rows ({@code referencing} limit)
     * @param addedVia    rows added per foreign key, e.g. {@code orders(customer_id) -> customers(id)}
     */
    public record TableSample(String table, String file, long rows, long selected, long referenced, long referencing,
                              Map<String, Long> addedVia) {
        public TableSample {
            addedVia = Collections.unmodifiableMap(new LinkedHashMap<>(addedVia));
        }
    }
}
