package dev.schemarehearsal.harness.api;

import java.util.List;

/**
 * A {@code git:<ref>} baseline as resolved: the migrations present at the ref are what production has.
 *
 * @param ref             the git ref as given, e.g. {@code origin/main}
 * @param version         the highest migration version present at the ref: the shadow is migrated up to it
 * @param pending         the versioned scripts not present at the ref, by file name, in version order
 * @param changedSinceRef the scripts present at the ref whose content differs in the working tree, by path
 *                        relative to the repository root: production applied the old content
 */
public record GitBaseline(String ref, String version, List<String> pending, List<String> changedSinceRef) {
    public GitBaseline {
        pending = List.copyOf(pending);
        changedSinceRef = List.copyOf(changedSinceRef);
    }
}
