package dev.ephemera.scheme.compile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A compile-time scope: the variables of one environment frame, in slot order. Each scope
 * becomes one {@link dev.ephemera.scheme.object.EnvironmentLayout environment} block at run
 * time, so a variable's lexical address is (number of scopes out, slot).
 */
final class Scope {
    final Scope parent;
    final List<String> vars = new ArrayList<>();
    /** Variables bound by internal definitions: read before assignment is an error. */
    final Set<String> checked = new HashSet<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    int add(String name) {
        int i = vars.lastIndexOf(name);
        if (i >= 0) {
            return i;
        }
        vars.add(name);
        return vars.size() - 1;
    }

    /** True if {@code name} is bound in this scope or an enclosing one. */
    static boolean isLocal(Scope s, String name) {
        for (; s != null; s = s.parent) {
            if (s.vars.contains(name)) {
                return true;
            }
        }
        return false;
    }
}
