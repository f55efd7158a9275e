package dev.ephemera.cli;

import dev.ephemera.scheme.read.ReadError;
import dev.ephemera.scheme.read.Reader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.SyntaxError;

/**
 * How the REPL reads Scheme with JLine: a {@link Parser} that keeps a line open while the datum
 * is incomplete and cuts words at Scheme's delimiters (so the word being completed after
 * {@code (} is the identifier, not {@code (ca}), and a {@link Completer} offering the names of
 * the global environment as it is at the moment of completion — the user's definitions
 * included — and the syntactic keywords.
 */
final class ReplInput {
    private ReplInput() {}

    /** Syntactic keywords: not variables, but what one types after {@code (} as often as any. */
    static final List<String> KEYWORDS = List.of("and", "begin", "case", "cond", "define", "define-record-type",
            "do", "else", "guard", "if", "lambda", "let", "let*", "letrec", "letrec*", "or", "quasiquote", "quote",
            "set!", "unless", "when");

    /** The REPL's comma commands. */
    static final List<String> COMMANDS = List.of(",help", ",stats", ",gc", ",quit");

    /** True unless {@code text} ends inside a datum, string or block comment. */
    static boolean isComplete(String text) {
        Reader reader = new Reader(text, "<repl>");
        try {
            while (reader.read() != Reader.EOF) {
                // keep reading
            }
            return true;
        } catch (ReadError e) {
            return !e.incomplete();
        }
    }

    /** Characters that end an identifier. */
    static boolean isDelimiter(char c) {
        return Character.isWhitespace(c) || "()[]\"';`,".indexOf(c) >= 0;
    }

    /** Tells JLine a line is incomplete while the text so far ends inside a datum; splits words. */
    static final class SchemeParser implements Parser {
        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) throws SyntaxError {
            if (context == ParseContext.ACCEPT_LINE && !line.trim().startsWith(",") && !isComplete(line)) {
                throw new EOFError(-1, -1, "incomplete datum", "datum");
            }
            return new SchemeLine(line, cursor);
        }
    }

    /**
     * A line cut into identifiers. The word at the cursor is the identifier that ends there —
     * empty right after a delimiter such as {@code (}. A comma command at the start of the line
     * is one word, comma included.
     */
    static final class SchemeLine implements CompletingParsedLine {
        private final String line;
        private final int cursor;
        private final List<String> words = new ArrayList<>();
        private int wordIndex = -1;
        private int wordCursor;

        SchemeLine(String line, int cursor) {
            this.line = line;
            this.cursor = Math.max(0, Math.min(cursor, line.length()));
            int n = line.length();
            int firstNonSpace = 0;
            while (firstNonSpace < n && Character.isWhitespace(line.charAt(firstNonSpace))) {
                firstNonSpace++;
            }
            List<int[]> spans = new ArrayList<>();
            int i = 0;
            while (i < n) {
                char c = line.charAt(i);
                boolean commandComma = c == ',' && i == firstNonSpace;
                if (isDelimiter(c) && !commandComma) {
                    i++;
                    continue;
                }
                int start = i++;
                while (i < n && !isDelimiter(line.charAt(i))) {
                    i++;
                }
                spans.add(new int[] {start, i});
            }
            int before = 0;
            for (int k = 0; k < spans.size(); k++) {
                int[] span = spans.get(k);
                if (span[0] <= this.cursor && this.cursor <= span[1]) {
                    wordIndex = k;
                    wordCursor = this.cursor - span[0];
                }
                if (span[1] < this.cursor) {
                    before = k + 1;
                }
                words.add(line.substring(span[0], span[1]));
            }
            if (wordIndex < 0) {
                // the cursor is after a delimiter: an empty word there
                wordIndex = before;
                wordCursor = 0;
                words.add(before, "");
            }
        }

        @Override
        public String word() {
            return words.get(wordIndex);
        }

        @Override
        public int wordCursor() {
            return wordCursor;
        }

        @Override
        public int wordIndex() {
            return wordIndex;
        }

        @Override
        public List<String> words() {
            return words;
        }

        @Override
        public String line() {
            return line;
        }

        /** Names need no escaping: a completed identifier is inserted as it is. */
        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return candidate;
        }

        @Override
        public int rawWordCursor() {
            return wordCursor;
        }

        @Override
        public int rawWordLength() {
            return word().length();
        }

        @Override
        public int cursor() {
            return cursor;
        }
    }

    /**
     * Completes the identifier at the cursor from the global names (asked for afresh each time,
     * so new definitions appear at once) and the keywords; the interpreter's internal helpers,
     * whose names start with {@code %}, only when the word does too. At the start of a line
     * beginning with a comma, completes the REPL's commands.
     */
    static final class SchemeCompleter implements Completer {
        private final Supplier<Collection<String>> globals;

        SchemeCompleter(Supplier<Collection<String>> globals) {
            this.globals = globals;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            for (String name : names(line)) {
                candidates.add(new Candidate(name, name, null, null, null, null, true));
            }
        }

        /** The names offered for {@code line}'s word (JLine keeps those it starts). */
        Set<String> names(ParsedLine line) {
            Set<String> names = new TreeSet<>();
            if (line.wordIndex() == 0 && line.word().startsWith(",")) {
                names.addAll(COMMANDS);
                return names;
            }
            boolean internal = line.word().startsWith("%");
            for (String name : globals.get()) {
                if (internal || !name.startsWith("%")) {
                    names.add(name);
                }
            }
            names.addAll(KEYWORDS);
            return names;
        }
    }
}
