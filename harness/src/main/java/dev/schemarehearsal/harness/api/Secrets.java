package dev.schemarehearsal.harness.api;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of everything the tool prints or writes. A JDBC URL may carry a password (user info
 * {@code user:password@host}, a {@code password=} parameter, {@code ;}-separated properties), and URLs reach text
 * in many ways: messages naming the server, a driver's error quoting the URL, a report. Every such text passes
 * through {@link #redact(String)}.
 */
public final class Secrets {
    /** What stands in for a removed credential. */
    public static final String MASK = "***";

    /** User info between {@code //} and {@code @}: nothing before the {@code @} may be a path or query. */
    private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/?#\\s\"'`<>@]+(?:@[^/?#\\s\"'`<>@]+)*@");
    /** A JDBC URL within a text; it ends where the text's quoting or spacing does. */
    private static final Pattern JDBC_URL = Pattern.compile("(?i)jdbc:[a-z0-9]+:[^\\s\"'`<>]*");
    /** A {@code key=value} parameter of a URL: query string, {@code ;} properties, MySQL's {@code (key=value)}. */
    private static final Pattern PARAMETER = Pattern.compile("(?<=[?&;(])([^?&;()=]+)=([^&;()]*)");

    private Secrets() {
    }

    /**
     * The text with every credential of a URL in it masked: user info (user and password, {@code //***@host}) and
     * the value of every parameter whose key holds {@code password} or is {@code pwd} (any case), in JDBC URLs.
     * Everything else is kept, so the URL still says which server and database were meant.
     */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String withoutUserInfo = USER_INFO.matcher(text).replaceAll(MASK + "@");
        return JDBC_URL.matcher(withoutUserInfo).replaceAll(url -> Matcher.quoteReplacement(parameters(url.group())));
    }

    private static String parameters(String url) {
        return PARAMETER.matcher(url).replaceAll(parameter -> {
            String key = parameter.group(1).trim().toLowerCase(Locale.ROOT);
            return Matcher.quoteReplacement(key.contains("password") || key.equals("pwd")
                    ? parameter.group(1) + "=" + MASK : parameter.group());
        });
    }

    /**
     * A copy of the exception and its causes with every message redacted, for build tools that print a cause's
     * message (Maven joins every cause's message into its error line). Stack traces are kept, and each copy names
     * the class it stands for in its {@code toString()}, as stack traces print it.
     */
    public static Throwable redacted(Throwable error) {
        if (error == null) {
            return null;
        }
        Redacted copy = new Redacted(error, redacted(error.getCause() == error ? null : error.getCause()));
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    /**
     * Stands for an exception whose message was redacted: the same message otherwise, so that a build tool that
     * skips a cause's message already contained in its own still does.
     */
    private static final class Redacted extends RuntimeException {
        private final String original;

        Redacted(Throwable error, Throwable cause) {
            super(error.getMessage() == null ? error.getClass().getSimpleName() : redact(error.getMessage()), cause);
            this.original = error.getClass().getName();
        }

        @Override
        public String toString() {
            return original + ": " + getMessage();
        }
    }
}
