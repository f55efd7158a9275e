package dev.ephemera.fuzz;

import dev.ephemera.model.Model.Obj;
import java.util.ArrayList;
import java.util.List;

/**
 * The finaliser bodies running now, innermost last. A body runs inside the heap's call of its
 * finaliser, so bodies nest (a collection in a body may run another finaliser). The depth
 * indents the trace and decides what a {@code THROW} means; {@link Program.Val#SELF} names the
 * innermost body's finalised value.
 */
final class FinaliserBodies {
    /** The finalised value of each running body, innermost last (null: a finalise-last body). */
    private final List<Obj> selves = new ArrayList<>();

    void enter(Obj self) {
        selves.add(self);
    }

    void leave() {
        selves.remove(selves.size() - 1);
    }

    /** How many bodies are running: 0 at the program's top level. */
    int depth() {
        return selves.size();
    }

    /** The innermost body's finalised value; null at top level or in a finalise-last body. */
    Obj self() {
        return selves.isEmpty() ? null : selves.get(selves.size() - 1);
    }
}
