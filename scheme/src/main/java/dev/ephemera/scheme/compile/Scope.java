package dev.ephemera.scheme.compile;

import dev.ephemera.scheme.machine.Lambda;
import java.util.ArrayList;
import java.util.List;

/**
 * A compile-time scope: the variables of one environment frame, in slot order. Each scope
 * becomes one {@link dev.ephemera.scheme.object.EnvironmentLayout environment} block at run
 * time.
 *
 * <p>A <i>procedure</i> scope is the frame of a closure's body: its frame links to the closure,
 * and a variable of an enclosing scope used inside it is one of its {@link #free free
 * variables}, copied into the closure when it is made. A <i>block</i> scope ({@code let},
 * {@code guard}) is entered directly: its frame links to the enclosing frame, so its variables
 * and the enclosing activation's are reached by following links (depth, slot).
 */
final class Scope {
    final Scope parent;
    final boolean procedure;
    /** The code this scope is the frame of. */
    Lambda lambda;
    final List<Var> vars = new ArrayList<>();
    /** For a procedure scope: its free variables, in closure field order. */
    final List<Var> free = new ArrayList<>();

    Scope(Scope parent, boolean procedure) {
        this.parent = parent;
        this.procedure = procedure;
    }

    /** The variable {@code name} of this scope (the last one, if defined twice), or null. */
    Var find(String name) {
        for (int i = vars.size() - 1; i >= 0; i--) {
            if (vars.get(i).name.equals(name)) {
                return vars.get(i);
            }
        }
        return null;
    }

    /** The variable {@code name} of this scope, added if new. */
    Var add(String name) {
        Var v = find(name);
        if (v != null) {
            return v;
        }
        v = new Var(name, this, vars.size());
        vars.add(v);
        return v;
    }

    /** The index of {@code v} among this procedure's free variables, added if new. */
    int freeIndex(Var v) {
        int i = free.indexOf(v);
        if (i >= 0) {
            return i;
        }
        free.add(v);
        return free.size() - 1;
    }

    /** The nearest binding of {@code name} from {@code s} outwards, or null for a global. */
    static Var lookup(Scope s, String name) {
        for (; s != null; s = s.parent) {
            Var v = s.find(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** True if {@code name} is bound in this scope or an enclosing one. */
    static boolean isLocal(Scope s, String name) {
        return lookup(s, name) != null;
    }
}
