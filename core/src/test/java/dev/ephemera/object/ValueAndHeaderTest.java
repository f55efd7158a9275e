package dev.ephemera.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ephemera.object.layout.Header;
import dev.ephemera.object.layout.StringLayout;
import org.junit.jupiter.api.Test;

class ValueAndHeaderTest {
    @Test
    void immediatesRoundTripOver63Bits() {
        for (long n : new long[] {0, 1, -1, 42, Value.MAX_INT, Value.MIN_INT}) {
            long v = Value.ofIntExact(n);
            assertThat(Value.isInt(v)).isTrue();
            assertThat(Value.isBlock(v)).isFalse();
            assertThat(Value.intOf(v)).isEqualTo(n);
        }
        assertThatThrownBy(() -> Value.ofIntExact(Value.MAX_INT + 1)).isInstanceOf(ArithmeticException.class);
        assertThat(Value.intOf(Value.ofInt(Value.MAX_INT + 1))).as("ofInt wraps like OCaml").isEqualTo(Value.MIN_INT);
        assertThat(Value.UNIT).isEqualTo(Value.ofInt(0));
        assertThat(Value.boolOf(Value.TRUE)).isTrue();
        assertThat(Value.boolOf(Value.ofBool(false))).isFalse();
    }

    @Test
    void pointersAreEvenNonZeroAndCarryTheirChunk() {
        long v = Value.ofAddress(((long) 9 << 32) | 17);
        assertThat(Value.isBlock(v)).isTrue();
        assertThat(Value.isInt(v)).isFalse();
        assertThat(Value.chunkIndexOf(v)).isEqualTo(9);
        assertThat(Value.addressOf(v)).isEqualTo(((long) 9 << 32) | 17);
        assertThat(Value.isBlock(Value.NONE)).isFalse();
        assertThat(Value.isNone(Value.NONE)).isTrue();
        assertThat(Value.describe(Value.NONE)).isEqualTo("none");
        assertThat(Value.describe(Value.ofInt(-3))).isEqualTo("immediate -3");
        assertThat(Value.describe(v)).isEqualTo("block@9:17");
    }

    @Test
    void headersPackSizeTagColourAndHash() {
        long h = Header.make(1000, Tag.STRING);
        assertThat(Header.sizeWords(h)).isEqualTo(1000);
        assertThat(Header.tag(h)).isEqualTo(Tag.STRING);
        assertThat(Header.isWhite(h)).isTrue();
        long black = Header.withColour(h, Header.BLACK);
        assertThat(Header.isBlack(black)).isTrue();
        assertThat(Header.sizeWords(black)).isEqualTo(1000);
        long hashed = Header.withHash(black, (1 << Header.HASH_BITS) - 1);
        assertThat(Header.hash(hashed)).isEqualTo((1 << Header.HASH_BITS) - 1);
        assertThat(Header.tag(hashed)).isEqualTo(Tag.STRING);
        assertThat(Header.sizeWords(Header.make(Header.MAX_SIZE_WORDS, 0))).isEqualTo(Header.MAX_SIZE_WORDS);
        long waited = Header.waitedHeader(black, 123456);
        assertThat(Header.isWaited(waited)).isTrue();
        assertThat(Header.colour(waited)).isEqualTo(Header.BLACK);
        assertThat(Header.waitedIndex(waited)).isEqualTo(123456);
    }

    @Test
    void stringLayoutPadsLikeOcaml() {
        for (int len = 0; len < 40; len++) {
            int size = StringLayout.sizeWords(len);
            assertThat(size).isEqualTo(len / 8 + 1);
            long last = StringLayout.paddingByte(size, len) << 56;
            assertThat(StringLayout.lengthBytes(size, last)).isEqualTo(len);
        }
    }

    @Test
    void tagsBelowNoScanAreTraced() {
        assertThat(Tag.isScanned(0)).isTrue();
        assertThat(Tag.isScanned(Tag.FORWARD)).isTrue();
        assertThat(Tag.isScanned(Tag.EPHEMERON)).isFalse();
        assertThat(Tag.isAllocatable(Tag.INFIX)).isFalse();
        assertThat(Tag.isAllocatable(Tag.STRING)).isFalse();
        assertThat(Tag.name(Tag.DOUBLE)).isEqualTo("double");
    }
}
