package dev.schemarehearsal.harness.api;

import java.nio.file.Path;

/**
 * One query of the workload file ({@code queries.sql}): its plans are compared before and after the pending
 * migrations, and the probe workload runs it in proportion to its weight.
 *
 * @param name   the id from its {@code -- name:} line, unique within the file
 * @param sql    the statement, without the {@code ;} that ends it
 * @param weight its share in the probe workload, from {@code -- weight:}; 1 when not given
 * @param file   the file it was read from
 * @param line   the line of its {@code -- name:} in that file, counting from 1
 */
public record Query(String name, String sql, int weight, Path file, int line) {

    /** Where it is written, for messages: {@code file:line}. */
    public String location() {
        return file + ":" + line;
    }
}
