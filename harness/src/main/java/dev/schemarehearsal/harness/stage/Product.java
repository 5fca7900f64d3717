package dev.schemarehearsal.harness.stage;

/**
 * Something a stage produces for the stages after it, an immutable value, e.g. the loaded data.
 *
 * @param name what it is, for the message when a stage reads it before it was produced
 */
record Product<T>(String name) { }
