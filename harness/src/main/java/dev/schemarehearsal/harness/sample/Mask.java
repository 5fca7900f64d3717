package dev.schemarehearsal.harness.sample;

import java.util.Locale;

/**
 * How one column is masked.
 *
 * @param fixed the value of a {@link Kind#FIXED} mask
 */
record Mask(Kind kind, String fixed) {

    enum Kind {
        /** Every value becomes NULL. */
        NULL,
        /** Every value becomes the same text. */
        FIXED,
        /** A keyed hash that keeps the value's kind: the same value gives the same result in every table. */
        HASH,
        /** A made-up e-mail address. */
        EMAIL,
        /** A made-up person's name. */
        NAME,
        /** The phone number's digits replaced, its punctuation kept. */
        PHONE
    }

    /** Whether the mask keeps distinct values apart and equal ones equal, as keys need. */
    boolean keepsKeys() {
        return kind == Kind.HASH;
    }

    @Override
    public String toString() {
        return kind == Kind.FIXED ? "fixed" : kind.name().toLowerCase(Locale.ROOT);
    }
}
