package dev.ephemera.scheme.object;

/**
 * An interned symbol ({@link SchemeTag#SYMBOL}). Symbols are unique per name while they live
 * (see {@link dev.ephemera.scheme.runtime.Symbols}: the intern table holds them weakly, so an
 * unreferenced symbol is collected). Identity — {@code eq?} and eq-hashtables — uses the heap's
 * stored identity hash, never an address.
 *
 * <pre>
 *   header(tag 3, size 1) | name (a heap string)
 *   field:                   0
 * </pre>
 */
public final class SymbolLayout {
    public static final int NAME_FIELD = 0;
    public static final int SIZE_WORDS = 1;

    private SymbolLayout() {}
}
