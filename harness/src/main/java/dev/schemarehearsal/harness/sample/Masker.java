package dev.schemarehearsal.harness.sample;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Masks values deterministically: every result is an HMAC-SHA256 of the value keyed by the seed, so the same value
 * and seed give the same result in every table and every run, and without the seed the original cannot be computed.
 */
final class Masker {
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+\\.[0-9]+");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");
    private static final int ROUNDS = 6;
    private static final long INT_LIMIT = 1L << 31;
    private static final String[] FIRST = {"Ada", "Alan", "Amara", "Ben", "Carla", "Chen", "Dana", "Diego", "Elif", "Emil",
        "Fatima", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jonas", "Julia", "Kai", "Lena", "Liam", "Maya", "Mateo",
        "Nina", "Noah", "Olga", "Omar", "Paula", "Priya", "Quinn", "Rosa", "Sami", "Sofia", "Tariq", "Tess", "Uma", "Victor",
        "Wen", "Yara", "Zoe", "Leo"};
    private static final String[] LAST = {"Abara", "Berg", "Costa", "Dahl", "Eriksen", "Fischer", "Garcia", "Haddad",
        "Ito", "Jansen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Novak", "Okafor", "Petrov", "Quist", "Rossi", "Silva",
        "Tanaka", "Umar", "Vargas", "Weber", "Xu", "Yilmaz", "Zimmer", "Brandt", "Castillo", "Dubois", "Evans", "Fontaine",
        "Gruber", "Horvat", "Iqbal", "Jovanovic", "Keller", "Lindqvist", "Meyer", "Nilsen"};

    private final Mac mac;

    Masker(long seed) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ByteBuffer.allocate(Long.BYTES).putLong(seed).array(), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    /** The masked value; NULL stays NULL whatever the mask. */
    String apply(Mask mask, String value) {
        if (value == null) {
            return null;
        }
        return switch (mask.kind()) {
            case NULL -> null;
            case FIXED -> mask.fixed();
            case HASH -> hash(value);
            case EMAIL -> email(value);
            case NAME -> name(value);
            case PHONE -> digits("phone", value);
        };
    }

    /** Whether {@link #hash} keeps the value's type: numbers and UUIDs do; other text becomes hexadecimal text. */
    static boolean hashKeepsType(String value) {
        return INTEGER.matcher(value).matches() || DECIMAL.matcher(value).matches() || UUID.matcher(value).matches();
    }

    /**
     * An integer becomes another integer of the same sign and size class (below 2^31, so it fits a 32-bit column, or
     * up to 2^63): a keyed permutation, so distinct keys stay distinct. A UUID becomes another UUID; a decimal gets
     * other digits in the same places; other text becomes 16 hexadecimal characters.
     */
    String hash(String value) {
        if (INTEGER.matcher(value).matches()) {
            try {
                return Long.toString(permute(Long.parseLong(value)));
            } catch (NumberFormatException beyondLong) {
                return digits("hash", value);
            }
        }
        if (DECIMAL.matcher(value).matches()) {
            return digits("hash", value);
        }
        byte[] digest = digest("hash", value);
        if (UUID.matcher(value).matches()) {
            ByteBuffer bytes = ByteBuffer.wrap(digest);
            // A version-4, IETF-variant UUID, as random ones are.
            long high = bytes.getLong() & ~0xF000L | 0x4000L;
            long low = bytes.getLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
            return new java.util.UUID(high, low).toString();
        }
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    /** A bijection of the longs that keeps the sign and whether the value is below 2^31. */
    long permute(long value) {
        if (value < 0) {
            return ~permute(~value);
        }
        long x = value;
        // Cycle walking: a permutation of 32 (or 64) bits applied until the result is back in the value's class,
        // which is itself a permutation of the class.
        if (value < INT_LIMIT) {
            do {
                x = feistel(x, 16);
            } while (x >= INT_LIMIT);
        } else {
            do {
                x = feistel(x, 32);
            } while (x < INT_LIMIT);
        }
        return x;
    }

    /** A balanced Feistel network on two halves of {@code half} bits: invertible whatever its round function. */
    private long feistel(long x, int half) {
        long mask = half == 32 ? 0xFFFFFFFFL : (1L << half) - 1;
        long left = x >>> half & mask;
        long right = x & mask;
        for (int round = 0; round < ROUNDS; round++) {
            mac.update((byte) half);
            mac.update((byte) round);
            long f = ByteBuffer.wrap(mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(right).array())).getLong() & mask;
            long next = left ^ f;
            left = right;
            right = next;
        }
        return left << half | right;
    }

    private String email(String value) {
        ByteBuffer digest = ByteBuffer.wrap(digest("email", value));
        return (pick(FIRST, digest.getInt()) + "." + pick(LAST, digest.getInt())).toLowerCase(Locale.ROOT) + "."
                + Integer.remainderUnsigned(digest.getInt(), 100_000_000) + "@example.com";
    }

    /** One word stays one (a first name); more become a first and a last name. Upper case stays upper case. */
    private String name(String value) {
        ByteBuffer digest = ByteBuffer.wrap(digest("name", value));
        String first = pick(FIRST, digest.getInt());
        String name = value.strip().contains(" ") ? first + " " + pick(LAST, digest.getInt()) : first;
        boolean upper = value.chars().anyMatch(Character::isLetter) && value.equals(value.toUpperCase(Locale.ROOT));
        return upper ? name.toUpperCase(Locale.ROOT) : name;
    }

    /** Every digit replaced by one from the digest, everything else kept. */
    private String digits(String purpose, String value) {
        StringBuilder masked = new StringBuilder(value.length());
        byte[] digest = digest(purpose, value);
        int used = 0;
        for (char c : value.toCharArray()) {
            if (c >= '0' && c <= '9') {
                if (used == digest.length) {
                    digest = digest(purpose, HexFormat.of().formatHex(digest));
                    used = 0;
                }
                masked.append((char) ('0' + Math.floorMod(digest[used++], 10)));
            } else {
                masked.append(c);
            }
        }
        return masked.toString();
    }

    private static String pick(String[] names, int random) {
        return names[Math.floorMod(random, names.length)];
    }

    private byte[] digest(String purpose, String value) {
        mac.update(purpose.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    }
}
