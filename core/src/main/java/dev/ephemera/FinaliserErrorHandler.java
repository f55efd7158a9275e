package dev.ephemera;

/**
 * Decides what happens when a finaliser throws.
 *
 * <p>OCaml's rule, the default ({@link #PROPAGATE}): the exception propagates to the code at the
 * safe point where the finaliser ran ({@link Heap#poll()}, a collection call, or an allocation
 * when {@link HeapConfig#runFinalisersOnAllocation} is on); the finalisers still queued stay
 * queued and run at the next safe point.
 *
 * <p>Jane Street Core wraps finalisers so that an uncaught exception terminates the program
 * ({@code Exn.handle_uncaught_and_exit}). The Core-style registrations
 * ({@code Gc.addFinalizer} and friends) use the handler configured here; {@link #EXIT} is Core's
 * behaviour, and the default, {@link #PROPAGATE}, is the Java-friendly one.
 */
@FunctionalInterface
public interface FinaliserErrorHandler {
    /**
     * Called with the exception a finaliser threw. Return normally to swallow it and go on with
     * the next finaliser, or throw (the argument or another exception) to propagate.
     *
     * @param error what the finaliser threw
     */
    void handle(RuntimeException error);

    /** Rethrow: OCaml's behaviour. */
    FinaliserErrorHandler PROPAGATE = e -> {
        throw e;
    };

    /** Print the stack trace to standard error and exit the JVM with status 2: Core's behaviour. */
    FinaliserErrorHandler EXIT = e -> {
        System.err.println("ephemera: uncaught exception in finaliser; exiting (Core semantics)");
        e.printStackTrace();
        System.exit(2);
    };

    /** Print the stack trace to standard error and go on. */
    FinaliserErrorHandler LOG = e -> {
        System.err.println("ephemera: exception in finaliser ignored:");
        e.printStackTrace();
    };
}
