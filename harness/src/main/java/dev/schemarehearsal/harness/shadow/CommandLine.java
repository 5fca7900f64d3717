package dev.schemarehearsal.harness.shadow;

import dev.schemarehearsal.harness.api.ConfigurationException;

import java.util.ArrayList;
import java.util.List;

/**
 * A command as a parameter writes it, split into its program and arguments the way a shell splits words, and nothing
 * more: no shell runs it, so no {@code $VARIABLE}, glob, pipe or redirection is expanded, and no value reaches the
 * command's text. Words are separated by blanks; {@code '…'} quotes literally, {@code "…"} too but for {@code \"}
 * and {@code \\}; a backslash outside quotes takes the next character as it is. A command that needs a shell says so:
 * {@code sh -c '…'}, reading the values the rehearsal gives it from its environment.
 */
public final class CommandLine {
    private CommandLine() {
    }

    /**
     * @param parameter the parameter it comes from, for the error
     * @return the words, empty for a blank or {@code null} text
     * @throws ConfigurationException naming the parameter for an unterminated quote
     */
    public static List<String> split(String parameter, String text) {
        List<String> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new ConfigurationException(parameter, "<" + parameter + "> has a " + (quote == '"' ? "double" : "single")
                    + " quote that is never closed: " + text, "close the quote, or write a literal quote as \\" + quote);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
