package dev.schemarehearsal.harness.migrate;

/**
 * A migration as its tool lists it.
 *
 * @param version  its version, or {@code null} for a repeatable migration
 * @param script   its name in reports, e.g. {@code V4__orders_tracking_code.sql} or a Java migration's class
 * @param location its script's file, or {@code null} or empty where it has none to read (a Java migration)
 */
public record Migration(String version, String description, String script, String location) { }
