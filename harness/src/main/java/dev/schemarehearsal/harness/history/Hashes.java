package dev.schemarehearsal.harness.history;

import dev.schemarehearsal.harness.api.PlanNode;
import dev.schemarehearsal.harness.plan.PlanShape;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short hashes that say whether two things are the same: a plan's shape, a finding's identity. */
final class Hashes {
    private Hashes() {
    }

    /** The hash of the plan's shape ({@link PlanShape#of}): node types, tables, indexes and join types, in order. */
    static String shape(PlanNode plan) {
        return plan == null ? null : hash(String.join("\n", PlanShape.of(plan)));
    }

    /** The first 16 hexadecimal digits of the text's SHA-256. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
