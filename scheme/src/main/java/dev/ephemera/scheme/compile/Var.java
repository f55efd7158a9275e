package dev.ephemera.scheme.compile;

import dev.ephemera.scheme.machine.Boxable;
import java.util.ArrayList;
import java.util.List;

/**
 * A local variable as the compiler tracks it: its slot in its scope's frame, and what the rest of
 * its scope does with it — which decides whether it must live in a box.
 *
 * <p>A closure copies the values of its free variables when it is made. That is only right if
 * the variable cannot change afterwards, so a variable that is both <b>captured</b> (used by a
 * procedure other than the one binding it) and <b>assigned</b> ({@code set!}, or an internal
 * definition, which assigns the slot after closures made earlier in the body may have copied
 * it) is boxed: its slot holds a box, and closures copy the box.
 */
final class Var {
    final String name;
    final Scope scope;
    final int slot;
    /** Bound by an internal definition (letrec* semantics): unassigned until its definition runs. */
    boolean definition;
    /** Defined more than once in its body. */
    boolean redefined;
    boolean captured;
    boolean assigned;
    /**
     * The procedure scope of the lambda this variable is defined as ({@code (define (f) ...)}),
     * if it is never {@code set!}: inside that lambda the name denotes the running closure.
     */
    Scope selfScope;
    /** The nodes that read or write the variable, told if it ends up boxed. */
    final List<Boxable> uses = new ArrayList<>();

    Var(String name, Scope scope, int slot) {
        this.name = name;
        this.scope = scope;
        this.slot = slot;
    }

    boolean boxed() {
        return captured && assigned;
    }
}
