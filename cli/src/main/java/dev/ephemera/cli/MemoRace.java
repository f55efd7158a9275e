package dev.ephemera.cli;

import dev.ephemera.scheme.Scheme;
import java.util.ArrayList;
import java.util.List;
import java.util.WeakHashMap;

/**
 * The demo's memo workload, run twice: a memo table whose values refer to their keys (a cached
 * result that mentions its argument), filled in rounds; each round's keys stay in use only
 * until the next round. In a {@link WeakHashMap} the value keeps its key reachable, so no entry
 * is ever freed. In an ephemera ephemeron table (an SRFI 126 hashtable with weakness
 * {@code ephemeral-key}) the value is held only while the key is otherwise alive, so every
 * round frees the previous one.
 */
final class MemoRace {
    /** A memo key: what a cached computation was asked about. */
    record Key(int round, int index) {}

    /** A cached result that refers to its key, as memoised results often do. */
    record Memo(Key key, long result) {}

    static final String SCHEME_WORKLOAD = String.join("\n",
            "(define memo (make-eq-hashtable 1024 'ephemeral-key))",
            "(define live-keys '())",
            "(define (memo-round! round n)",
            "  (set! live-keys '())",
            "  (do ((i 0 (+ i 1))) ((= i n))",
            "    (let ((key (list round i)))",
            "      (set! live-keys (cons key live-keys))",
            "      (hashtable-set! memo key (cons key (* i i)))))",
            "  (gc)",
            "  (hashtable-size memo))");

    private final WeakHashMap<Key, Memo> weakHashMap = new WeakHashMap<>();
    private List<Key> javaLiveKeys = new ArrayList<>();
    private final Scheme scheme;

    MemoRace(Scheme scheme) {
        this.scheme = scheme;
        scheme.eval(SCHEME_WORKLOAD, "demo-memo");
    }

    /** One round in the WeakHashMap; returns the entries it retains after full collections. */
    int javaRound(int round, int n) {
        javaLiveKeys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Key key = new Key(round, i);
            javaLiveKeys.add(key);
            weakHashMap.put(key, new Memo(key, (long) i * i));
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return weakHashMap.size();
    }

    /** One round in the ephemera table; returns the entries it retains after a major collection. */
    int ephemeraRound(int round, int n) {
        return Integer.parseInt(scheme.evalToString("(memo-round! " + round + " " + n + ")"));
    }

    int javaLiveKeyCount() {
        return javaLiveKeys.size();
    }
}
