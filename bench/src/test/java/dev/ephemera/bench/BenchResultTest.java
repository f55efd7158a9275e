package dev.ephemera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchResultTest {
    @Test
    void jsonLinesRoundTripInOrder() {
        BenchResult r = new BenchResult("memo-table", "ephemera")
                .put("n", 1000)
                .put("keys", "dead")
                .put("seconds", 0.25)
                .put("ok", true)
                .put("note", "a \"quoted\" \\ word\n")
                .put("retained", List.of(1L, 2L, 3L))
                .put("nothing", null);
        String json = r.toJson();
        assertThat(json).startsWith("{\"bench\":\"memo-table\",\"impl\":\"ephemera\",\"n\":1000,\"keys\":\"dead\",\"seconds\":0.250000,");
        BenchResult back = BenchResult.parse(json);
        assertThat(back.fields().keySet()).containsExactly("bench", "impl", "n", "keys", "seconds", "ok", "note", "retained", "nothing");
        assertThat(back.get("n")).isEqualTo(1000L);
        assertThat(back.seconds()).isEqualTo(0.25);
        assertThat(back.get("ok")).isEqualTo(true);
        assertThat(back.get("note")).isEqualTo("a \"quoted\" \\ word\n");
        assertThat(back.get("retained")).isEqualTo(List.of(1L, 2L, 3L));
        assertThat(back.get("nothing")).isNull();
        assertThat(back.toJson()).isEqualTo(json);
    }

    @Test
    void parsesThePeersLines() {
        BenchResult ocaml = BenchResult.parse("{\"bench\":\"ephemeron-chain\",\"impl\":\"ocaml\",\"n\":10000,\"order\":\"rev\","
                + "\"drop_root\":false,\"seconds\":0.000757,\"data_full\":10000,\"cleared\":0,\"peak_heap_words\":126976}");
        assertThat(ocaml.bench()).isEqualTo("ephemeron-chain");
        assertThat(ocaml.impl()).isEqualTo("ocaml");
        assertThat(ocaml.seconds()).isEqualTo(0.000757);
        assertThat(ocaml.get("drop_root")).isEqualTo(false);
        assertThat(ocaml.skipped()).isNull();
        BenchResult skipped = BenchResult.parse(" {\"bench\":\"memo-table\", \"impl\":\"chez\", \"skipped\":\"scheme not found\"} ");
        assertThat(skipped.skipped()).isEqualTo("scheme not found");
        assertThat(skipped.seconds()).isNaN();
    }

    @Test
    void numbersKeepTheFormatThePeersAndCiUse() {
        java.util.Random rnd = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            // what the suite writes: times, ratios, words (never negative)
            double d = Math.pow(10, rnd.nextDouble() * 12 - 8);
            String expected = "{\"bench\":\"b\",\"impl\":\"i\",\"x\":" + String.format(java.util.Locale.ROOT, "%.6f", d) + "}";
            assertThat(new BenchResult("b", "i").put("x", d).toJson()).as("%s", d).isEqualTo(expected);
        }
        assertThat(new BenchResult("b", "i").put("n", 3).put("big", 1L << 40).put("r", 0.1234565).put("z", 0.0)
                .put("l", List.of(1.5, 2L)).toJson())
                .isEqualTo("{\"bench\":\"b\",\"impl\":\"i\",\"n\":3,\"big\":1099511627776,\"r\":0.123457,\"z\":0.000000,"
                        + "\"l\":[1.500000,2]}");
    }

    @Test
    void nonFiniteNumbersBecomeNull() {
        assertThat(new BenchResult("b", "i").put("ratio", Double.NaN).toJson()).isEqualTo("{\"bench\":\"b\",\"impl\":\"i\",\"ratio\":null}");
    }

    @Test
    void malformedLinesAreRefusedWithTheLine() {
        for (String bad : List.of("", "UNEXPECTED", "{\"bench\":\"b\"}", "{\"bench\":\"b\",\"impl\":\"i\"", "{\"bench\":\"b\",\"impl\":\"i\"} x",
                "{\"bench\":\"b\",\"impl\":\"i\",\"n\":}", "[1]")) {
            assertThatThrownBy(() -> BenchResult.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("BenchResult.parse: ");
        }
    }
}
