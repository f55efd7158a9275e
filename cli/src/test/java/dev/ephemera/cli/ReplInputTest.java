package dev.ephemera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.scheme.Scheme;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.junit.jupiter.api.Test;

class ReplInputTest {
    private static ParsedLine parse(String line, int cursor) {
        return new ReplInput.SchemeParser().parse(line, cursor, Parser.ParseContext.COMPLETE);
    }

    @Test
    void theWordAtTheCursorIsTheIdentifierAfterTheParenthesis() {
        ParsedLine l = parse("(ca", 3);
        assertThat(l.word()).isEqualTo("ca");
        assertThat(l.wordCursor()).isEqualTo(2);
        ParsedLine nested = parse("(display (vector-re", 19);
        assertThat(nested.word()).isEqualTo("vector-re");
        assertThat(nested.words()).containsExactly("display", "vector-re");
        ParsedLine quoted = parse("(list 'sym", 10);
        assertThat(quoted.word()).isEqualTo("sym");
    }

    @Test
    void rightAfterAnOpeningParenthesisTheWordIsEmpty() {
        ParsedLine l = parse("(", 1);
        assertThat(l.word()).isEmpty();
        ParsedLine middle = parse("(f (", 4);
        assertThat(middle.word()).isEmpty();
        assertThat(middle.words()).containsExactly("f", "");
        assertThat(middle.wordIndex()).isEqualTo(1);
    }

    @Test
    void theCursorInsideAWordCompletesThatWord() {
        ParsedLine l = parse("(vector-ref v 0)", 5);
        assertThat(l.word()).isEqualTo("vector-ref");
        assertThat(l.wordCursor()).isEqualTo(4);
    }

    @Test
    void aCommaCommandIsOneWord() {
        ParsedLine l = parse(",st", 3);
        assertThat(l.word()).isEqualTo(",st");
        assertThat(new ReplInput.SchemeCompleter(java.util.List::of).names(l)).containsExactlyElementsOf(ReplInput.COMMANDS
                .stream().sorted().toList());
    }

    @Test
    void completionOffersEveryGlobalIncludingNewDefinitionsAndTheKeywords() {
        try (Scheme s = Scheme.create()) {
            ReplInput.SchemeCompleter completer = new ReplInput.SchemeCompleter(s::globalNames);
            ParsedLine l = parse("(", 1);
            assertThat(completer.names(l)).contains("car", "vector-ref", "map", "make-ephemeron", "define", "lambda")
                    .doesNotContain("my-table", "%cons");
            s.eval("(define my-table (make-eq-hashtable)) (define (my-proc) 1)", "t");
            assertThat(completer.names(l)).contains("my-table", "my-proc");
            assertThat(completer.names(parse("(%co", 4))).contains("%cons");
        }
    }

    @Test
    void completenessCheck() {
        assertThat(ReplInput.isComplete("(+ 1 2)")).isTrue();
        assertThat(ReplInput.isComplete("(+ 1")).isFalse();
        assertThat(ReplInput.isComplete("\"abc")).isFalse();
        assertThat(ReplInput.isComplete("#| comment")).isFalse();
        assertThat(ReplInput.isComplete(")")).isTrue();
    }
}
