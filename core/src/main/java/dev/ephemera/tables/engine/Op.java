package dev.ephemera.tables.engine;

import dev.ephemera.tables.layout.GuardLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * The name of a public table operation ({@code "Ephemeron.K1.replace"}), used in error messages,
 * and a small code for it, stored in a table when the operation modifies it, so that an
 * iteration that finds the table changed can say by what ({@link GuardLayout}).
 */
public final class Op {
    private static final List<Op> ALL = new ArrayList<>();

    /** The operation's name, which starts every message about it. */
    public final String name;
    /** Its code: 1 to {@link GuardLayout#OP_MASK}, unique per name. */
    public final int code;

    private Op(String name, int code) {
        this.name = name;
        this.code = code;
    }

    /** The operation named {@code name}, made on first use. */
    public static synchronized Op named(String name) {
        for (Op op : ALL) {
            if (op.name.equals(name)) {
                return op;
            }
        }
        if (ALL.size() >= GuardLayout.OP_MASK) {
            throw new IllegalStateException("Op.named: too many operation names");
        }
        Op op = new Op(name, ALL.size() + 1);
        ALL.add(op);
        return op;
    }

    /** True if {@code code} is the code of an operation. */
    public static synchronized boolean exists(int code) {
        return code >= 1 && code <= ALL.size();
    }

    /** The operation with this code; "an unknown operation" for 0. */
    public static synchronized String nameOf(int code) {
        return code >= 1 && code <= ALL.size() ? ALL.get(code - 1).name : "an unknown operation";
    }

    @Override
    public String toString() {
        return name;
    }
}
