package dev.ephemera.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.fuzz.Program.Val;
import dev.ephemera.fuzz.TableProgram.Act;
import dev.ephemera.fuzz.TableProgram.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Table programs the runner's model once got wrong, replayed act by act: the model must agree. */
class TableRunTest {
    /**
     * Creation makes a table's bucket array before its block; the minor collection the block's
     * allocation ran promoted the array and left the block young. The {@code NONE} table dies
     * young, but its old array keeps its binding, and the key #6 the binding holds strongly,
     * alive through the next minor collection — where the ephemeral-key table #1 holds #6 too.
     * The model, whose table was one young object, freed #6 there (table program 110,566 from
     * base 4242424, seed -1529021571601344242, shrunk; 256-word nursery).
     */
    @Test
    void aDeadTableOverAnOldBucketArrayKeepsWhatItHoldsThroughAMinorCollection() {
        List<Act> program = List.of(
                new Act(Op.TABLE, 1, 811, 271, 692, List.of()), // EPHEMERAL_KEY -> S2
                new Act(Op.TABLE, 3, 256, 821, 63, List.of()), // weak set -> S3
                new Act(Op.JUNK, 0, 712, 715, 266, List.of()), // 33 garbage blocks
                new Act(Op.PUT, 0, 186, 107, 956, operands(Val.ref(3))), // #3: add 0
                new Act(Op.TABLE, 4, 851, 190, 749, List.of()), // NONE -> S5 (a minor collection)
                new Act(Op.OBJ, 6, 533, 458, 541, List.of(Val.NONE)), // #6 -> S5: #4 unreachable
                new Act(Op.PUT, 0, 704, 569, 362, operands(Val.ref(1), Val.ref(6))), // #1: replace [#6] -> 7
                new Act(Op.PUT, 0, 824, 162, 42, operands(Val.ref(4), Val.ref(6))), // #4: replace [#6] -> 7
                new Act(Op.OBJ, 7, 869, 547, 442, List.of(Val.NONE)), // #7 -> S5: #6 unreachable
                new Act(Op.MINOR, 0, 959, 859, 777, List.of()));
        TableFuzzer.Outcome o = TableFuzzer.replay(true, program);
        assertThat(o.trace()).as("the program ran as it did when it was found")
                .contains("#4 = a NONE table (30) -> S5", "  (minor collection: minor heap full)",
                        "#4: replace [#6] -> 7 (NONE)", "  (minor collection: explicit minor request)");
        assertThat(o.error()).as(String.join("\n", o.trace())).isNull();
    }

    /** A table act's five operands: those given, then NONE. */
    private static List<Val> operands(Val... given) {
        Val[] v = {Val.NONE, Val.NONE, Val.NONE, Val.NONE, Val.NONE};
        System.arraycopy(given, 0, v, 0, given.length);
        return List.of(v);
    }
}
