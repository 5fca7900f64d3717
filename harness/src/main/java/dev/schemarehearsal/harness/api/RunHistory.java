package dev.schemarehearsal.harness.api;

import dev.schemarehearsal.harness.api.RehearsalResult.Run;
import dev.schemarehearsal.harness.api.RehearsalResult.Trends;

import java.util.List;

/**
 * The history of runs on its own, as {@code schema:history} renders it ({@code history.json}).
 *
 * @param store    where it is kept: a folder, or a database's URL without its credentials
 * @param runs     every run this version can read, newest first
 * @param branches each branch's trends over its runs
 * @param skipped  one sentence for each record this version could not read: skipped, and left where it is
 */
public record RunHistory(String store, List<Run> runs, List<Branch> branches, List<String> skipped) {
    public RunHistory {
        runs = List.copyOf(runs);
        branches = List.copyOf(branches);
        skipped = List.copyOf(skipped);
    }

    /**
     * One branch's runs.
     *
     * @param name   the git branch, or {@code null} for runs recorded without one
     * @param runs   how many of its runs the history holds
     * @param trends every migration's, query's and table's figures over them
     */
    public record Branch(String name, int runs, Trends trends) { }
}
