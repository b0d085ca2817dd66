package io.tokengate.core.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TokenGate's JSON reader (the validator's headers and claims, the store's groups): RFC 8259 exactly, read-only
 * results, nothing more. An object becomes an
 * unmodifiable {@code Map<String, Object>} in member order, an array an unmodifiable {@code List<Object>}, a string a
 * {@code String}, an integer that fits a {@code Long}, a number with a fraction or exponent a {@code Double}, and
 * {@code true false null} themselves. Refused: a member name twice (RFC 7515 §5.2 lets a JWS reader refuse, and two
 * readers choosing differently is how header confusion starts), nesting deeper than {@value #MAX_DEPTH}, control
 * characters in strings, integers beyond {@code Long}, leading zeros, anything after the value. One instance per
 * text; no state survives a call, nothing is shared between threads.
 */
public final class StrictJson {
    /** Deepest nesting of objects and arrays accepted; TokenGate's own tokens use 2. */
    public static final int MAX_DEPTH = 32;

    /** The text is not JSON that this reader accepts. Carries no stack trace: hostile input must stay cheap. */
    public static final class MalformedJson extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedJson(String message) {
            super(message, null, false, false);
        }
    }

    private final String text;
    private int at;

    private StrictJson(String text) {
        this.text = text;
    }

    /** Parses a text whose value must be an object. */
    public static Map<String, Object> parseObject(String text) throws MalformedJson {
        StrictJson reader = new StrictJson(text);
        reader.skipWhitespace();
        if (reader.at >= text.length() || text.charAt(reader.at) != '{') {
            throw new MalformedJson("not a JSON object");
        }
        Map<String, Object> object = reader.object(1);
        reader.skipWhitespace();
        if (reader.at != text.length()) {
            throw new MalformedJson("text after the JSON value");
        }
        return object;
    }

    private Object value(int depth) throws MalformedJson {
        skipWhitespace();
        if (at >= text.length()) {
            throw new MalformedJson("a value is missing");
        }
        char c = text.charAt(at);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw new MalformedJson("unexpected character");
        }
    }

    private Map<String, Object> object(int depth) throws MalformedJson {
        if (depth > MAX_DEPTH) {
            throw new MalformedJson("nested too deeply");
        }
        at++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (at < text.length() && text.charAt(at) == '}') {
            at++;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            skipWhitespace();
            if (at >= text.length() || text.charAt(at) != '"') {
                throw new MalformedJson("a member name must be a string");
            }
            String name = string();
            skipWhitespace();
            expect(':');
            Object value = value(depth);
            if (members.containsKey(name)) {
                throw new MalformedJson("a member name appears twice");
            }
            members.put(name, value);
            skipWhitespace();
            if (at >= text.length()) {
                throw new MalformedJson("unterminated object");
            }
            char c = text.charAt(at++);
            if (c == '}') {
                return Collections.unmodifiableMap(members);
            }
            if (c != ',') {
                throw new MalformedJson("expected , or }");
            }
        }
    }

    private List<Object> array(int depth) throws MalformedJson {
        if (depth > MAX_DEPTH) {
            throw new MalformedJson("nested too deeply");
        }
        at++; // '['
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (at < text.length() && text.charAt(at) == ']') {
            at++;
            return Collections.unmodifiableList(elements);
        }
        while (true) {
            elements.add(value(depth));
            skipWhitespace();
            if (at >= text.length()) {
                throw new MalformedJson("unterminated array");
            }
            char c = text.charAt(at++);
            if (c == ']') {
                return Collections.unmodifiableList(elements);
            }
            if (c != ',') {
                throw new MalformedJson("expected , or ]");
            }
        }
    }

    private String string() throws MalformedJson {
        int start = ++at; // after the opening quote
        int n = text.length();
        // the common case, no escapes: one substring
        while (at < n) {
            char c = text.charAt(at);
            if (c == '"') {
                return text.substring(start, at++);
            }
            if (c == '\\') {
                break;
            }
            if (c < 0x20) {
                throw new MalformedJson("control character in a string");
            }
            at++;
        }
        StringBuilder sb = new StringBuilder(at - start + 16).append(text, start, at);
        while (at < n) {
            char c = text.charAt(at++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw new MalformedJson("control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (at >= n) {
                break;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    sb.append(e);
                    break;
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u':
                    char code = hex4();
                    if (Character.isHighSurrogate(code)) {
                        // an escaped supplementary character comes as a pair; half of one is no character
                        if (at + 1 >= n || text.charAt(at) != '\\' || text.charAt(at + 1) != 'u') {
                            throw new MalformedJson("unpaired surrogate escape");
                        }
                        at += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw new MalformedJson("unpaired surrogate escape");
                        }
                        sb.append(code).append(low);
                    } else if (Character.isLowSurrogate(code)) {
                        throw new MalformedJson("unpaired surrogate escape");
                    } else {
                        sb.append(code);
                    }
                    break;
                default:
                    throw new MalformedJson("unknown escape");
            }
        }
        throw new MalformedJson("unterminated string");
    }

    /** The four hexadecimal digits of a {@code \\u} escape, ASCII only (RFC 8259 §7). */
    private char hex4() throws MalformedJson {
        if (at + 4 > text.length()) {
            throw new MalformedJson("short \\u escape");
        }
        int code = 0;
        for (int k = 0; k < 4; k++) {
            char c = text.charAt(at++);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                throw new MalformedJson("bad \\u escape");
            }
            code = code * 16 + digit;
        }
        return (char) code;
    }

    private Object number() throws MalformedJson {
        int start = at;
        int n = text.length();
        if (text.charAt(at) == '-') {
            at++;
        }
        if (at >= n) {
            throw new MalformedJson("bad number");
        }
        if (text.charAt(at) == '0') {
            at++;
        } else if (isDigit(at)) {
            while (isDigit(at)) {
                at++;
            }
        } else {
            throw new MalformedJson("bad number");
        }
        boolean integer = true;
        if (at < n && text.charAt(at) == '.') {
            integer = false;
            at++;
            if (!isDigit(at)) {
                throw new MalformedJson("bad fraction");
            }
            while (isDigit(at)) {
                at++;
            }
        }
        if (at < n && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            integer = false;
            at++;
            if (at < n && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            if (!isDigit(at)) {
                throw new MalformedJson("bad exponent");
            }
            while (isDigit(at)) {
                at++;
            }
        }
        String literal = text.substring(start, at);
        if (integer) {
            try {
                return Long.valueOf(literal);
            } catch (NumberFormatException e) {
                throw new MalformedJson("integer out of range");
            }
        }
        double d = Double.parseDouble(literal);
        if (Double.isInfinite(d)) {
            throw new MalformedJson("number out of range");
        }
        return d;
    }

    private boolean isDigit(int index) {
        if (index >= text.length()) {
            return false;
        }
        char c = text.charAt(index);
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) throws MalformedJson {
        if (!text.startsWith(word, at)) {
            throw new MalformedJson("unexpected literal");
        }
        at += word.length();
        return value;
    }

    private void expect(char c) throws MalformedJson {
        if (at >= text.length() || text.charAt(at) != c) {
            throw new MalformedJson("expected " + c);
        }
        at++;
    }

    private void skipWhitespace() {
        int n = text.length();
        while (at < n) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }
}
