package dev.ephemera.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an interpreter session on a thread with a large Java stack. Scheme calls never use the
 * Java stack (continuations are heap frames), but reading, compiling and printing deeply nested
 * data recurse on it; a large stack moves that limit far beyond any real program. The heap is
 * created and used on this one thread, its owner.
 */
final class SchemeThread {
    private static final long STACK_BYTES = 512L * 1024 * 1024;

    private SchemeThread() {}

    static int run(Callable<Integer> session) throws Exception {
        AtomicReference<Integer> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(session.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "scheme", STACK_BYTES);
        t.start();
        t.join();
        Throwable e = failure.get();
        if (e instanceof Exception ex) {
            throw ex;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return result.get();
    }
}
