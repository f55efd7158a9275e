package dev.ephemera.tables;

import java.util.ArrayList;
import java.util.List;

/**
 * The name of a public table operation ({@code "Ephemeron.K1.replace"}), used in error messages,
 * and a small code for it, stored in a table when the operation modifies it, so that an
 * iteration that finds the table changed can say by what.
 */
final class Op {
    private static final List<Op> ALL = new ArrayList<>();

    final String name;
    final int code;

    private Op(String name, int code) {
        this.name = name;
        this.code = code;
    }

    static synchronized Op named(String name) {
        for (Op op : ALL) {
            if (op.name.equals(name)) {
                return op;
            }
        }
        if (ALL.size() >= 0xFFFF) {
            throw new IllegalStateException("Op.named: too many operation names");
        }
        Op op = new Op(name, ALL.size() + 1);
        ALL.add(op);
        return op;
    }

    /** The operation with this code; "an unknown operation" for 0. */
    static synchronized String nameOf(int code) {
        return code >= 1 && code <= ALL.size() ? ALL.get(code - 1).name : "an unknown operation";
    }

    @Override
    public String toString() {
        return name;
    }
}
