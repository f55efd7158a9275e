package dev.ephemera.bench.suite;

import java.util.List;

/** A case and the implementations measured on it, ephemera first. */
public final class Workload {
    private final Case benchCase;
    private final List<Impl> impls;

    /** @param impls ephemera first, then the peers in the order their columns appear */
    public Workload(Case benchCase, List<Impl> impls) {
        this.benchCase = benchCase;
        this.impls = List.copyOf(impls);
    }

    /** The case. */
    public Case benchCase() {
        return benchCase;
    }

    /** The implementations, ephemera first. */
    public List<Impl> impls() {
        return impls;
    }
}
