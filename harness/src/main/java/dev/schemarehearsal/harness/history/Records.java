package dev.schemarehearsal.harness.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;

/** Run records as JSON text, and the text read back: a record this version can read, or why it is skipped. */
final class Records {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // Fields a later version of the same format adds are not this version's business.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    /** Oldest first; runs recorded in the same millisecond by the order they were stored in. */
    static final Comparator<Stored> OLDEST_FIRST = Comparator.comparing((Stored s) -> s.record().at())
            .thenComparing(Stored::id);

    /**
     * A record as a store holds it.
     *
     * @param id the store's name for it: a file name, or a row's id
     */
    record Stored(String id, RunRecord record) { }

    /**
     * What a store holds.
     *
     * @param runs    the records this version reads, oldest first
     * @param skipped one sentence for each record it cannot read, which stays where it is
     */
    record Reading(List<Stored> runs, List<String> skipped) {
        Reading {
            runs = runs.stream().sorted(OLDEST_FIRST).toList();
            skipped = List.copyOf(skipped);
        }
    }

    /** A record read, or the reason it is skipped. */
    record Parsed(RunRecord record, String skipped) { }

    private Records() {
    }

    static String json(RunRecord record) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one record's text.
     *
     * @param where the record for a message, e.g. {@code .schema-rehearsal/history/2026-….json}
     */
    static Parsed parse(String where, String text) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return unreadable(where, "not JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject() || !tree.path("format").isIntegralNumber() || !tree.path("format").canConvertToInt()) {
            return unreadable(where, "no \"format\" number");
        }
        int format = tree.get("format").intValue();
        if (format < 1) {
            return unreadable(where, "format " + format + " is none schema-rehearsal writes");
        }
        if (format > RunRecord.FORMAT) {
            return new Parsed(null, "History record " + where + " was written by a newer schema-rehearsal (format "
                    + format + "; this version reads up to " + RunRecord.FORMAT + "): skipped, left in place");
        }
        try {
            RunRecord record = MAPPER.treeToValue(tree, RunRecord.class);
            if (record.at() == null) {
                return unreadable(where, "no \"at\"");
            }
            return new Parsed(record, null);
        } catch (JsonProcessingException e) {
            return unreadable(where, e.getOriginalMessage());
        }
    }

    static Parsed unreadable(String where, String why) {
        return new Parsed(null, "History record " + where + " is unreadable (" + why + "): skipped, left in place");
    }
}
