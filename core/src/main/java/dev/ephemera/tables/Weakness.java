package dev.ephemera.tables;

/**
 * How a {@link Hashtables} table holds its keys and values (SRFI 126's {@code weakness}
 * argument; MIT Scheme's entry types; MPS AWL's weak-key / weak-value / doubly weak tables).
 *
 * <p>"Held weakly" means the table does not keep the value alive; "held ephemerally by X" means
 * the table keeps it alive only while X is alive (an ephemeron keyed by X). Each mode says which
 * part keeps which alive and when its entry disappears. An entry disappears at the first
 * collection that finds the named part(s) dead: from then on no operation finds it, iterates
 * over it or counts it. Immediates (fixnums) are never collected, so an entry whose weak part
 * is an immediate never disappears.
 *
 * <table>
 * <caption>Weakness modes</caption>
 * <tr><th>mode</th><th>the table keeps alive</th><th>the entry disappears when</th></tr>
 * <tr><td>{@link #NONE}</td><td>key and value</td><td>never (removed explicitly)</td></tr>
 * <tr><td>{@link #WEAK_KEY}</td><td>the value</td><td>the key dies</td></tr>
 * <tr><td>{@link #WEAK_VALUE}</td><td>the key</td><td>the value dies</td></tr>
 * <tr><td>{@link #WEAK_KEY_AND_VALUE}</td><td>nothing</td><td>key or value dies</td></tr>
 * <tr><td>{@link #EPHEMERAL_KEY}</td><td>the value, while the key is alive</td><td>the key dies</td></tr>
 * <tr><td>{@link #EPHEMERAL_VALUE}</td><td>the key, while the value is alive</td><td>the value dies</td></tr>
 * <tr><td>{@link #EPHEMERAL_KEY_AND_VALUE}</td><td>the value while the key is alive, and the key
 *     while the value is alive</td><td>key and value both die (they die together)</td></tr>
 * </table>
 *
 * <p>The difference between weak and ephemeral shows when one part refers to the other. In a
 * {@link #WEAK_KEY} table an entry whose value refers to its key is never freed: the table holds
 * the value strongly, the value holds the key (the leak of {@code java.util.WeakHashMap}). In an
 * {@link #EPHEMERAL_KEY} table the value is held only through an ephemeron keyed by the key, so
 * a reference from the value back to the key does not keep the key alive, and the entry goes.
 */
public enum Weakness {
    /** Strong keys and values: an ordinary table. */
    NONE("none"),
    /** The key is held weakly, the value strongly. */
    WEAK_KEY("weak-key"),
    /** The key is held strongly, the value weakly. */
    WEAK_VALUE("weak-value"),
    /** Both are held weakly. */
    WEAK_KEY_AND_VALUE("weak-key-and-value"),
    /** The key is held weakly, the value ephemerally by the key (an ephemeron key → value). */
    EPHEMERAL_KEY("ephemeral-key"),
    /** The value is held weakly, the key ephemerally by the value (an ephemeron value → key). */
    EPHEMERAL_VALUE("ephemeral-value"),
    /** Each is held ephemerally by the other (two ephemerons, key → value and value → key). */
    EPHEMERAL_KEY_AND_VALUE("ephemeral-key-and-value");

    private final String srfiName;

    Weakness(String srfiName) {
        this.srfiName = srfiName;
    }

    /** {@return the SRFI 126 symbol for this mode ({@code "none"} for {@link #NONE})} */
    public String srfiName() {
        return srfiName;
    }

    /**
     * {@return the mode named by the SRFI 126 symbol {@code name}}
     *
     * @param name one of {@code weak-key}, {@code weak-value}, {@code weak-key-and-value}, {@code
     *     ephemeral-key}, {@code ephemeral-value}, {@code ephemeral-key-and-value}, {@code none}
     */
    public static Weakness ofSrfiName(String name) {
        for (Weakness w : values()) {
            if (w.srfiName.equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("Weakness.ofSrfiName: unknown weakness \"" + name
                + "\" (expected one of weak-key, weak-value, weak-key-and-value, ephemeral-key,"
                + " ephemeral-value, ephemeral-key-and-value, none)");
    }
}
