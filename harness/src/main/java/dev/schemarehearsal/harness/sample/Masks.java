package dev.schemarehearsal.harness.sample;

import dev.schemarehearsal.harness.api.ConfigurationException;
import dev.schemarehearsal.harness.api.RehearsalListener;
import dev.schemarehearsal.harness.dialect.Dialect;
import dev.schemarehearsal.harness.dialect.Dialect.Column;
import dev.schemarehearsal.harness.dialect.Dialect.Reference;
import dev.schemarehearsal.harness.dialect.Dialect.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The masks of {@code sample.json}, checked against the catalog. A key column takes only {@code hash}, and a hash
 * spreads over the foreign keys: a column that references or is referenced by a hashed column is hashed too, with the
 * same function of the value, so every reference still matches.
 */
final class Masks {
    /** A column of a table. */
    private record Cell(TableName table, String column) { }

    private final Map<Cell, Mask> masks = new LinkedHashMap<>();
    private final Map<String, String> described = new TreeMap<>();

    Masks(Dialect dialect, Connection connection, Map<TableName, SourceTable> tables, Map<String, Mask> configured,
          RehearsalListener listener) throws SQLException {
        Map<Cell, List<Cell>> linked = links(tables);
        for (Map.Entry<String, Mask> entry : configured.entrySet()) {
            String at = "$.masks[\"" + entry.getKey() + "\"]";
            Cell cell = cell(dialect, connection, tables, entry.getKey(), at);
            Mask mask = entry.getValue();
            List<Cell> group = group(cell, linked);
            if (!mask.keepsKeys() && (group.size() > 1 || tables.get(cell.table()).key.contains(cell.column())
                    && !tables.get(cell.table()).key.equals(names(tables.get(cell.table()).columns)))) {
                throw new ConfigurationException(SamplePlan.PARAMETER, at + ": " + name(cell) + " is a key "
                        + (group.size() > 1 ? "that foreign keys join (" + group.stream().filter(c -> !c.equals(cell))
                        .map(Masks::name).collect(Collectors.joining(", ")) + ")" : "of its table")
                        + ", and the mask " + mask + " would break it", "mask it with \"hash\", which keeps keys apart and "
                        + "references matching");
            }
            for (Cell member : group) {
                Mask earlier = masks.put(member, mask);
                if (earlier != null && !earlier.equals(mask)) {
                    throw new ConfigurationException(SamplePlan.PARAMETER, at + ": " + name(member) + " is masked "
                            + earlier + " too, and foreign keys join the two", "give both the same mask, or name one only");
                }
                if (!member.equals(cell) && !configured.containsKey(name(member))) {
                    listener.info("Mask: " + name(member) + " hashed like " + name(cell) + ", which a foreign key joins it to");
                }
            }
        }
        masks.forEach((cell, mask) -> described.put(name(cell), mask.toString()));
    }

    /** Masked columns by table, for the statistics. */
    Map<TableName, Set<String>> columns() {
        return masks.keySet().stream().collect(Collectors.groupingBy(Cell::table,
                Collectors.mapping(Cell::column, Collectors.toSet())));
    }

    /** {@code table.column} → mask kind. */
    Map<String, String> described() {
        return described;
    }

    /** Masks the rows' values in place. */
    void apply(SourceTable table, List<String[]> rows, Masker masker) {
        for (Map.Entry<Cell, Mask> entry : masks.entrySet()) {
            if (!entry.getKey().table().equals(table.name)) {
                continue;
            }
            int index = table.index(entry.getKey().column());
            Column column = table.columns.get(index);
            Mask mask = entry.getValue();
            for (String[] row : rows) {
                if (mask.kind() == Mask.Kind.HASH && column.kind() == Column.Kind.OTHER && row[index] != null
                        && !Masker.hashKeepsType(row[index])) {
                    throw new ConfigurationException(SamplePlan.PARAMETER, "$.masks[\"" + name(entry.getKey()) + "\"]: "
                            + "hash keeps numbers, UUIDs and text, and this column holds another type (a date, a "
                            + "boolean, JSON…), which it would not", "use \"null\" or {\"fixed\": …} for this column");
                }
                row[index] = masker.apply(mask, row[index]);
            }
        }
    }

    private static Cell cell(Dialect dialect, Connection connection, Map<TableName, SourceTable> tables, String name,
                             String at) throws SQLException {
        int dot = name.lastIndexOf('.');
        TableName tableName = dialect.tableName(connection, name.substring(0, dot));
        SourceTable table = tables.get(tableName);
        if (table == null) {
            throw new ConfigurationException(SamplePlan.PARAMETER, at + ": the sample has no table " + name.substring(0, dot),
                    "its tables are " + tables.keySet().stream().map(TableName::name).collect(Collectors.joining(", ")));
        }
        String column = name.substring(dot + 1);
        return names(table.columns).stream().filter(c -> c.equalsIgnoreCase(column)).findFirst()
                .map(c -> new Cell(tableName, c))
                .orElseThrow(() -> new ConfigurationException(SamplePlan.PARAMETER, at + ": " + tableName.name()
                        + " has no column " + column, "its columns are " + String.join(", ", names(table.columns))));
    }

    /** Column pairs joined by a foreign key, both ways. */
    private static Map<Cell, List<Cell>> links(Map<TableName, SourceTable> tables) {
        Map<Cell, List<Cell>> links = new HashMap<>();
        for (SourceTable table : tables.values()) {
            for (Reference reference : table.references) {
                for (int i = 0; i < reference.columns().size(); i++) {
                    Cell child = new Cell(table.name, reference.columns().get(i));
                    Cell parent = new Cell(reference.parent(), reference.parentColumns().get(i));
                    links.computeIfAbsent(child, c -> new ArrayList<>()).add(parent);
                    links.computeIfAbsent(parent, c -> new ArrayList<>()).add(child);
                }
            }
        }
        return links;
    }

    /** The column and every column foreign keys join to it, directly or through others. */
    private static List<Cell> group(Cell start, Map<Cell, List<Cell>> links) {
        List<Cell> group = new ArrayList<>(List.of(start));
        for (int i = 0; i < group.size(); i++) {
            for (Cell next : links.getOrDefault(group.get(i), List.of())) {
                if (!group.contains(next)) {
                    group.add(next);
                }
            }
        }
        return group;
    }

    private static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::name).toList();
    }

    private static String name(Cell cell) {
        return cell.table().name() + "." + cell.column();
    }
}
