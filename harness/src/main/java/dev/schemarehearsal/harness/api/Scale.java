package dev.schemarehearsal.harness.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far to grow the loaded sample ({@code scale}): a factor for every loaded table, or target row counts for
 * some tables.
 *
 * @param factor  rows after = rows loaded × factor, or {@code null} when targets are given
 * @param targets target row counts by table name as written (optionally {@code schema.table}), else empty
 */
public record Scale(Double factor, Map<String, Long> targets) {
    private static final String FIX = "write a factor such as <scale>10</scale>, or target row counts such as "
            + "<scale>orders=400000,customers=100000</scale>";

    public Scale {
        targets = Map.copyOf(targets);
    }

    /**
     * Parses {@code 10}, {@code 2.5} or {@code orders=400000,public.customers=100000}; {@code null} or blank means
     * no scaling and returns {@code null}.
     *
     * @throws ConfigurationException naming {@code scale}, the part at fault and the accepted forms
     */
    public static Scale parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (!text.contains("=")) {
            double factor = number(text, text);
            if (factor < 1) {
                throw new ConfigurationException("scale", "the factor " + text + " is below 1: scale-up only adds rows", FIX);
            }
            return new Scale(factor, Map.of());
        }
        Map<String, Long> targets = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] pair = part.split("=", -1);
            if (pair.length != 2 || pair[0].isBlank()) {
                throw new ConfigurationException("scale", "'" + part.trim() + "' in '" + text + "' is not table=rows", FIX);
            }
            double rows = number(pair[1].trim(), text);
            if (rows != Math.rint(rows)) {
                throw new ConfigurationException("scale", "'" + pair[1].trim() + "' in '" + text
                        + "' is not a whole number of rows", FIX);
            }
            if (targets.put(pair[0].trim(), (long) rows) != null) {
                throw new ConfigurationException("scale", "table " + pair[0].trim() + " is named twice in '" + text + "'", FIX);
            }
        }
        return new Scale(null, targets);
    }

    private static double number(String text, String whole) {
        if (!text.matches("\\d[\\d_]*(\\.\\d+)?")) {
            throw new ConfigurationException("scale", "'" + text + "' in '" + whole + "' is not a number", FIX);
        }
        return Double.parseDouble(text.replace("_", ""));
    }
}
