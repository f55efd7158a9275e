package dev.ephemera.scheme;

import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.object.Value;
import dev.ephemera.scheme.compile.Compiler;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Node;
import dev.ephemera.scheme.primitives.ControlPrimitives;
import dev.ephemera.scheme.primitives.HashtablePrimitives;
import dev.ephemera.scheme.primitives.ListPrimitives;
import dev.ephemera.scheme.primitives.NumberPrimitives;
import dev.ephemera.scheme.primitives.OutputPrimitives;
import dev.ephemera.scheme.primitives.RecordPrimitives;
import dev.ephemera.scheme.primitives.StringPrimitives;
import dev.ephemera.scheme.primitives.VectorPrimitives;
import dev.ephemera.scheme.primitives.WeakPrimitives;
import dev.ephemera.scheme.read.ReadError;
import dev.ephemera.scheme.read.Reader;
import dev.ephemera.scheme.runtime.Equality;
import dev.ephemera.scheme.runtime.SchemeHeap;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A Scheme interpreter whose every object lives in an ephemera {@link Heap}: the entry point
 * for the REPL, the script runner and tests.
 *
 * <pre>{@code
 * try (Scheme s = Scheme.create()) {
 *     s.evalToString("(define (f x) (* x x)) (f 12)");   // "144"
 * }
 * }</pre>
 *
 * Errors come out as {@link SchemeError} (an uncaught raise, a runtime, syntax or read error),
 * {@code (exit)} as {@link SchemeExit}, an {@link #interrupt()} as {@link SchemeInterrupt}. The
 * interpreter is used by one thread, the heap's owner; only {@link #interrupt()} may be called
 * from another.
 */
public final class Scheme implements AutoCloseable {
    private final Heap heap;
    private final SchemeHeap h;
    private final Machine machine;
    private final Compiler compiler;
    private final Deque<Path> loading = new ArrayDeque<>();

    private Scheme(Heap heap) {
        this.heap = heap;
        this.h = new SchemeHeap(heap);
        this.machine = new Machine(h);
        Equality eq = new Equality(h);
        NumberPrimitives.install(machine);
        ListPrimitives.install(machine, eq);
        StringPrimitives.install(machine);
        VectorPrimitives.install(machine);
        OutputPrimitives.install(machine);
        ControlPrimitives.install(machine, path -> load(resolve(path)));
        RecordPrimitives.install(machine);
        WeakPrimitives.install(machine);
        HashtablePrimitives.install(machine, eq);
        this.compiler = new Compiler(machine);
        try (InputStream in = Scheme.class.getResourceAsStream("prelude.scm")) {
            if (in == null) {
                throw new IllegalStateException("prelude.scm is missing from the class path");
            }
            eval(new String(in.readAllBytes(), StandardCharsets.UTF_8), "prelude.scm");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read prelude.scm", e);
        }
    }

    /** An interpreter on a new heap with the default configuration. */
    public static Scheme create() {
        return new Scheme(Heap.create());
    }

    /** An interpreter on a new heap with {@code config}. */
    public static Scheme create(HeapConfig config) {
        return new Scheme(Heap.create(config));
    }

    /** The heap every object of this interpreter lives in. */
    public Heap heap() {
        return heap;
    }

    /** Where {@code display} and friends write. */
    public void setOutput(PrintWriter out) {
        machine.setOut(out);
    }

    public PrintWriter output() {
        return machine.out();
    }

    /** Evaluates every form of {@code text} (named {@code file} in error messages), printing nothing. */
    public void eval(String text, String file) {
        Reader reader = new Reader(text, file);
        while (true) {
            Object form = read(reader);
            if (form == Reader.EOF) {
                return;
            }
            evalForm(form);
        }
    }

    /**
     * Evaluates every form of {@code text} and returns the {@code write} representations of
     * the values that are not unspecified — what a REPL prints.
     */
    public List<String> evalAndPrint(String text, String file) {
        return evalAndPrint(text, file, 1);
    }

    /**
     * {@link #evalAndPrint(String, String)} for text that starts at line {@code firstLine} of
     * {@code file}: a REPL numbers its input lines across the session, so a position names the
     * input it is in.
     */
    public List<String> evalAndPrint(String text, String file, int firstLine) {
        Reader reader = new Reader(text, file, firstLine);
        List<String> out = new ArrayList<>();
        while (true) {
            Object form = read(reader);
            if (form == Reader.EOF) {
                return out;
            }
            long v = evalForm(form);
            if (v != h.unspecified() && v != Value.NONE) {
                out.add(machine.printer.write(v));
            }
        }
    }

    /** Evaluates {@code text} and returns the written value of its last form ("" if unspecified). */
    public String evalToString(String text) {
        List<String> values = evalAndPrint(text, "<eval>");
        return values.isEmpty() ? "" : values.get(values.size() - 1);
    }

    private static Object read(Reader reader) {
        try {
            return reader.read();
        } catch (ReadError e) {
            throw new SchemeError("read-error", e.getMessage());
        }
    }

    private long evalForm(Object form) {
        Node node;
        try {
            node = compiler.compileTopLevel(form);
        } catch (StackOverflowError e) {
            throw new SchemeError("syntax-error", "expression nested too deeply to compile");
        }
        long v = machine.execute(node);
        machine.out().flush();
        return v;
    }

    /** Loads and evaluates the file {@code path} ({@code load}); source files are UTF-8. */
    public void load(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new SchemeError("file-error", "load: cannot read " + path + ": " + e.getMessage());
        }
        String text = utf8(path, bytes);
        loading.push(path);
        try {
            eval(text, path.toString());
        } finally {
            loading.pop();
        }
    }

    /**
     * {@code bytes} decoded as UTF-8; if they are not valid UTF-8, an error that names the file
     * and where the first bad byte is (the JDK's own message is only "Input length = 1").
     */
    static String utf8(Path path, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new SchemeError("file-error", "load: " + path + " is not valid UTF-8: byte 0x"
                    + String.format("%02x", bytes[at] & 0xff) + " at line " + line + ", byte " + (at - lineStart + 1)
                    + " of the line");
        }
        out.flip();
        return out.toString();
    }

    /** A path for {@code load}: relative to the file being loaded, else to the working directory. */
    private Path resolve(String name) {
        Path p = Path.of(name);
        if (!p.isAbsolute() && !loading.isEmpty() && !Files.exists(p)) {
            Path parent = loading.peek().getParent();
            if (parent != null) {
                return parent.resolve(name);
            }
        }
        return p;
    }

    /** True if {@code name} is a bound global variable. */
    public boolean isBound(String name) {
        return machine.globals.isBound(name);
    }

    /** The names of the bound global variables (for REPL completion). */
    public List<String> globalNames() {
        return machine.globals.boundNames();
    }

    /**
     * Stops the running evaluation at its next procedure call with a {@link SchemeInterrupt}
     * (Ctrl-C). The only method that may be called from another thread than the heap's owner,
     * such as a signal handler. Returns false if a request was already pending: the evaluation
     * is inside one long primitive and has not reached a call since the last request.
     */
    public boolean interrupt() {
        return machine.interrupt();
    }

    /** Forgets a pending interrupt request, so that it cannot stop the next evaluation. */
    public void clearInterrupt() {
        machine.clearInterrupt();
    }

    /** Runs pending finalisers (a safe point), for hosts that collect outside Scheme. */
    public void poll() {
        machine.safePoint();
    }

    @Override
    public void close() {
        machine.close();
        h.close();
        heap.close();
    }
}
