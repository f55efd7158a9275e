package dev.ephemera.scheme.read;

import java.util.ArrayList;
import java.util.List;

/**
 * The datum reader (R7RS external syntax, minus rationals and complex numbers): turns text into
 * {@link Datum}s, reporting errors with file, line and column.
 *
 * <p>Supports lists and dotted pairs, vectors {@code #( )}, strings with R7RS escapes,
 * characters ({@code #\a}, {@code #\space}, {@code #\x41}), booleans ({@code #t #f #true
 * #false}), exact integers (decimal, {@code #x #b #o #d}) — a literal outside the 63-bit range
 * is an error — flonums (including {@code +inf.0 -inf.0 +nan.0}), the quote abbreviations, and
 * comments ({@code ;}, {@code #| |#} nested, {@code #;} datum).
 */
public final class Reader {
    private static final int MAX_DEPTH = 10_000;
    private static final long MAX_INT = (1L << 62) - 1;
    private static final long MIN_INT = -(1L << 62);

    private final String text;
    private final String file;
    private int pos;
    private int line;
    private int column = 1;
    private int depth;

    public Reader(String text, String file) {
        this(text, file, 1);
    }

    /** A reader whose text starts at line {@code firstLine} of {@code file} (a REPL session). */
    public Reader(String text, String file, int firstLine) {
        this.text = text;
        this.file = file;
        this.line = firstLine;
    }

    /** Marker returned by {@link #read()} at the end of the text. */
    public static final Object EOF = new Object() {
        @Override
        public String toString() {
            return "#<eof>";
        }
    };

    /** The next datum, or {@link #EOF}. */
    public Object read() {
        skipAtmosphere();
        if (pos >= text.length()) {
            return EOF;
        }
        try {
            return datum();
        } catch (StackOverflowError e) {
            throw error(here(), "data nested too deeply", false);
        }
    }

    /** The position of the next character. */
    public SourcePos here() {
        return new SourcePos(file, line, column);
    }

    private ReadError error(SourcePos at, String message, boolean incomplete) {
        return new ReadError(at, message, incomplete);
    }

    private int peek() {
        return pos < text.length() ? text.charAt(pos) : -1;
    }

    private int next() {
        char c = text.charAt(pos++);
        if (c == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        return c;
    }

    private void skipAtmosphere() {
        while (pos < text.length()) {
            int c = peek();
            if (Character.isWhitespace(c)) {
                next();
            } else if (c == ';') {
                while (pos < text.length() && peek() != '\n') {
                    next();
                }
            } else if (c == '#' && pos + 1 < text.length() && text.charAt(pos + 1) == '|') {
                SourcePos start = here();
                next();
                next();
                int nesting = 1;
                while (nesting > 0) {
                    if (pos >= text.length()) {
                        throw error(start, "unterminated block comment", true);
                    }
                    int d = next();
                    if (d == '|' && peek() == '#') {
                        next();
                        nesting--;
                    } else if (d == '#' && peek() == '|') {
                        next();
                        nesting++;
                    }
                }
            } else if (c == '#' && pos + 1 < text.length() && text.charAt(pos + 1) == ';') {
                next();
                next();
                skipAtmosphere();
                if (pos >= text.length()) {
                    throw error(here(), "end of input after #;", true);
                }
                datum();
            } else {
                return;
            }
        }
    }

    private Object datum() {
        SourcePos start = here();
        int c = next();
        switch (c) {
            case '(':
            case '[':
                return list(start, c == '(' ? ')' : ']');
            case ')':
            case ']':
                throw error(start, "unexpected '" + (char) c + "'", false);
            case '\'':
                return abbreviation("quote", start);
            case '`':
                return abbreviation("quasiquote", start);
            case ',':
                if (peek() == '@') {
                    next();
                    return abbreviation("unquote-splicing", start);
                }
                return abbreviation("unquote", start);
            case '"':
                return new Datum.SString(string(start));
            case '#':
                return hash(start);
            case '|':
                return new Sym(barSymbol(start));
            default:
                return atom(start, (char) c);
        }
    }

    private Object abbreviation(String name, SourcePos start) {
        skipAtmosphere();
        if (pos >= text.length()) {
            throw error(start, "end of input after " + name + " abbreviation", true);
        }
        Object d = nested(start);
        return new SPair(new Sym(name), new SPair(d, Datum.NIL, start), start);
    }

    private Object nested(SourcePos start) {
        if (++depth > MAX_DEPTH) {
            throw error(start, "data nested more than " + MAX_DEPTH + " levels deep", false);
        }
        try {
            return datum();
        } finally {
            depth--;
        }
    }

    private Object list(SourcePos start, char close) {
        List<Object> items = new ArrayList<>();
        List<SourcePos> positions = new ArrayList<>();
        Object tail = Datum.NIL;
        while (true) {
            skipAtmosphere();
            if (pos >= text.length()) {
                throw error(start, "end of input inside a list opened here", true);
            }
            int c = peek();
            if (c == ')' || c == ']') {
                if (c != close) {
                    throw error(here(), "'" + (char) c + "' closes a list opened with '"
                            + (close == ')' ? '(' : '[') + "' at " + start, false);
                }
                next();
                break;
            }
            if (c == '.' && isDelimiter(pos + 1)) {
                SourcePos dot = here();
                next();
                if (items.isEmpty()) {
                    throw error(dot, "'.' with nothing before it", false);
                }
                skipAtmosphere();
                if (pos >= text.length()) {
                    throw error(start, "end of input inside a list opened here", true);
                }
                tail = nested(here());
                skipAtmosphere();
                if (pos >= text.length()) {
                    throw error(start, "end of input inside a list opened here", true);
                }
                if (peek() != close) {
                    throw error(here(), "expected '" + close + "' after the datum following '.'", false);
                }
                next();
                break;
            }
            positions.add(here());
            items.add(nested(here()));
        }
        Object r = tail;
        for (int i = items.size() - 1; i >= 0; i--) {
            r = new SPair(items.get(i), r, i == 0 ? start : positions.get(i));
        }
        return r;
    }

    private boolean isDelimiter(int at) {
        if (at >= text.length()) {
            return true;
        }
        char c = text.charAt(at);
        return Character.isWhitespace(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '"' || c == ';';
    }

    private String string(SourcePos start) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error(start, "end of input inside a string opened here", true);
            }
            int c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append((char) c);
                continue;
            }
            if (pos >= text.length()) {
                throw error(start, "end of input inside a string opened here", true);
            }
            SourcePos at = new SourcePos(file, line, column - 1);
            int e = next();
            switch (e) {
                case 'n': sb.append('\n'); break;
                case 't': sb.append('\t'); break;
                case 'r': sb.append('\r'); break;
                case 'a': sb.append((char) 7); break;
                case 'b': sb.append('\b'); break;
                case '0': sb.append((char) 0); break;
                case '\\': sb.append('\\'); break;
                case '"': sb.append('"'); break;
                case '|': sb.append('|'); break;
                case 'x':
                case 'X': {
                    StringBuilder hex = new StringBuilder();
                    while (pos < text.length() && peek() != ';') {
                        hex.append((char) next());
                    }
                    if (pos >= text.length()) {
                        throw error(start, "end of input inside a string opened here", true);
                    }
                    next();
                    try {
                        sb.appendCodePoint(Integer.parseInt(hex.toString(), 16));
                    } catch (IllegalArgumentException ex) {
                        throw error(at, "bad hex escape \\x" + hex + ";", false);
                    }
                    break;
                }
                default:
                    if (e == '\n' || e == ' ' || e == '\t') {
                        // \ followed by optional spaces, a newline and leading spaces: a line continuation.
                        while (pos < text.length() && (peek() == ' ' || peek() == '\t')) {
                            next();
                        }
                        if (e != '\n' && pos < text.length() && peek() == '\n') {
                            next();
                        }
                        while (pos < text.length() && (peek() == ' ' || peek() == '\t')) {
                            next();
                        }
                        break;
                    }
                    throw error(at, "unknown string escape \\" + (char) e, false);
            }
        }
    }

    private String barSymbol(SourcePos start) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error(start, "end of input inside |symbol|", true);
            }
            int c = next();
            if (c == '|') {
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    private Object hash(SourcePos start) {
        if (pos >= text.length()) {
            throw error(start, "end of input after #", true);
        }
        int c = peek();
        if (c == '(') {
            next();
            Object items = list(start, ')');
            List<Object> elements = Datum.toList(items);
            if (elements == null) {
                throw error(start, "a vector cannot be a dotted list", false);
            }
            return new Datum.SVector(elements);
        }
        if (c == '\\') {
            next();
            return character(start);
        }
        String token = token();
        switch (token) {
            case "t":
            case "true":
                return Boolean.TRUE;
            case "f":
            case "false":
                return Boolean.FALSE;
            default:
                break;
        }
        char radix = token.isEmpty() ? ' ' : Character.toLowerCase(token.charAt(0));
        if (radix == 'x' || radix == 'b' || radix == 'o' || radix == 'd' || radix == 'e' || radix == 'i') {
            Object n = number("#" + token, start);
            if (n != null) {
                return n;
            }
        }
        throw error(start, "unknown syntax #" + token, false);
    }

    private Object character(SourcePos start) {
        if (pos >= text.length()) {
            throw error(start, "end of input after #\\", true);
        }
        StringBuilder sb = new StringBuilder();
        sb.appendCodePoint(text.codePointAt(pos));
        int first = text.codePointAt(pos);
        for (int i = 0; i < Character.charCount(first); i++) {
            next();
        }
        while (!isDelimiter(pos)) {
            sb.append((char) next());
        }
        String name = sb.toString();
        if (name.codePointCount(0, name.length()) == 1) {
            return new Datum.SChar(name.codePointAt(0));
        }
        switch (name.toLowerCase()) {
            case "space": return new Datum.SChar(' ');
            case "newline":
            case "linefeed":
            case "nl": return new Datum.SChar('\n');
            case "tab": return new Datum.SChar('\t');
            case "return": return new Datum.SChar('\r');
            case "null":
            case "nul": return new Datum.SChar(0);
            case "alarm": return new Datum.SChar(7);
            case "backspace": return new Datum.SChar(8);
            case "delete":
            case "rubout": return new Datum.SChar(127);
            case "escape":
            case "altmode": return new Datum.SChar(27);
            default:
                break;
        }
        if ((name.charAt(0) == 'x' || name.charAt(0) == 'X') && name.length() > 1) {
            try {
                return new Datum.SChar(Integer.parseInt(name.substring(1), 16));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw error(start, "unknown character name #\\" + name, false);
    }

    private String token() {
        StringBuilder sb = new StringBuilder();
        while (!isDelimiter(pos)) {
            sb.append((char) next());
        }
        return sb.toString();
    }

    private Object atom(SourcePos start, char first) {
        StringBuilder sb = new StringBuilder();
        sb.append(first);
        while (!isDelimiter(pos)) {
            sb.append((char) next());
        }
        String token = sb.toString();
        Object n = number(token, start);
        if (n != null) {
            return n;
        }
        if (token.equals(".")) {
            throw error(start, "unexpected '.'", false);
        }
        return new Sym(token);
    }

    /**
     * Parses a number token, or returns null if it is not one. Exact integers outside the
     * 63-bit range are an error, not a silent wrap.
     */
    Object number(String token, SourcePos start) {
        int radix = 10;
        boolean inexact = false;
        boolean exact = false;
        String t = token;
        while (t.length() >= 2 && t.charAt(0) == '#') {
            char p = Character.toLowerCase(t.charAt(1));
            switch (p) {
                case 'x': radix = 16; break;
                case 'b': radix = 2; break;
                case 'o': radix = 8; break;
                case 'd': radix = 10; break;
                case 'e': exact = true; break;
                case 'i': inexact = true; break;
                default: return null;
            }
            t = t.substring(2);
        }
        Object n = parseReal(t, radix, start);
        if (n == null) {
            return null;
        }
        if (inexact && n instanceof Long l) {
            return (double) l;
        }
        if (exact && n instanceof Double d) {
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw error(start, "#e" + t + " has no exact integer value", false);
            }
            return d.longValue();
        }
        return n;
    }

    private Object parseReal(String t, int radix, SourcePos start) {
        switch (t) {
            case "+inf.0": return Double.POSITIVE_INFINITY;
            case "-inf.0": return Double.NEGATIVE_INFINITY;
            case "+nan.0":
            case "-nan.0": return Double.NaN;
            default: break;
        }
        if (t.isEmpty()) {
            return null;
        }
        int i = 0;
        if (t.charAt(0) == '+' || t.charAt(0) == '-') {
            i = 1;
        }
        if (i == t.length()) {
            return null;
        }
        boolean allDigits = true;
        for (int j = i; j < t.length(); j++) {
            if (Character.digit(t.charAt(j), radix) < 0) {
                allDigits = false;
                break;
            }
        }
        if (allDigits) {
            try {
                long v = Long.parseLong(t.charAt(0) == '+' ? t.substring(1) : t, radix);
                if (v > MAX_INT || v < MIN_INT) {
                    throw error(start, "integer literal " + t + " does not fit in 63 bits (exact integers are in ["
                            + MIN_INT + ", " + MAX_INT + "])", false);
                }
                return v;
            } catch (NumberFormatException e) {
                throw error(start, "integer literal " + t + " does not fit in 63 bits (exact integers are in ["
                        + MIN_INT + ", " + MAX_INT + "])", false);
            }
        }
        if (radix != 10) {
            return null;
        }
        boolean digit = false;
        for (int j = i; j < t.length(); j++) {
            char c = t.charAt(j);
            if (Character.isDigit(c)) {
                digit = true;
            } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                return null;
            }
        }
        if (!digit) {
            return null;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
