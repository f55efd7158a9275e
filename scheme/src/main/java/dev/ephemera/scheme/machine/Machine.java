package dev.ephemera.scheme.machine;

import dev.ephemera.Handle;
import dev.ephemera.Heap;
import dev.ephemera.HeapExhaustedException;
import dev.ephemera.object.Value;
import dev.ephemera.scheme.SchemeError;
import dev.ephemera.scheme.SchemeExit;
import dev.ephemera.scheme.SchemeInterrupt;
import dev.ephemera.scheme.object.ClosureLayout;
import dev.ephemera.scheme.object.ConditionLayout;
import dev.ephemera.scheme.object.EnvironmentLayout;
import dev.ephemera.scheme.object.FrameLayout;
import dev.ephemera.scheme.object.HandlerLayout;
import dev.ephemera.scheme.object.PrimitiveLayout;
import dev.ephemera.scheme.object.SchemeTag;
import dev.ephemera.scheme.runtime.SchemeHeap;
import dev.ephemera.scheme.runtime.Stack;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluator: a register machine whose continuation is a chain of heap-allocated frames.
 *
 * <h2>Why this shape</h2>
 * Every Scheme object must live in the heap, and a recursion of depth 1,000,000 must work, so
 * the machine never recurses on the Java stack for a Scheme call. Its state is five registers
 * in a root area ({@link Stack}): the value, the environment, the continuation (the innermost
 * {@linkplain FrameLayout frame}, a heap block linked to the next), the handler stack, and a
 * scratch register. A node that needs the value of a subexpression pushes a frame naming
 * itself, and the subexpression's value is later "returned" to that frame. Applying a closure
 * pushes nothing, so every call in tail position runs in constant space; a non-tail call costs
 * one frame on the heap, which the collector frees like anything else.
 *
 * <h2>Rooting</h2>
 * A raw pointer is valid only until the next allocation. The machine keeps every value it needs
 * across an allocation in a register or on the stack, and re-reads it afterwards; Java locals
 * hold raw pointers only between two allocations. Nodes and lambdas are Java objects that hold
 * no pointers (quoted data sit in a constant root area, globals in {@link Globals}).
 *
 * <h2>Safe points</h2>
 * The machine polls the heap ({@link Heap#poll()}) when a procedure is entered, if a collection
 * happened since the last poll, so finalisers and guardians run promptly on this thread.
 * Finalisers are Scheme procedures, run by a nested evaluation ({@link #call0}).
 */
public final class Machine implements AutoCloseable {
    public final SchemeHeap h;
    public final Heap heap;
    public final Stack st;
    public final Globals globals;
    public final Literals literals;
    public final Printer printer;
    private final List<Node> code = new ArrayList<>();
    private final List<Lambda> lambdas = new ArrayList<>();
    private final List<Primitive> primitives = new ArrayList<>();
    private final Node raiseReturn = new RaiseReturnNode();
    private final Node restoreHandlers = new RestoreHandlersNode();
    /** The node to evaluate next, or null to return the value register to the continuation. */
    public Node node;
    /**
     * The call being made: set by a call node just before it applies the procedure, so an error
     * signalled by the application (a primitive, an arity check) is located at that call.
     */
    Node lastCall;
    /** The stack height at which the current run loop started. */
    private int loopBase;
    /** Run loops active on the Java stack: more than one while a finaliser or a load runs. */
    private int runDepth;
    /** A collection happened since the last poll. */
    private boolean collected;
    /** {@link #interrupt()} was called and the machine has not stopped for it yet. */
    private volatile boolean interruptRequested;
    private PrintWriter out = new PrintWriter(System.out, true);
    /** Runs of the machine inside one another (see {@link #MAX_NESTING}). */
    private int nesting;
    /**
     * How many runs may nest: each costs Java stack (a finaliser, a {@code load}, a
     * {@code with-output-to-string} thunk, a hashtable's hash function runs in its own), so a
     * program recursing through them gets a clean error instead of a Java stack overflow.
     */
    static final int MAX_NESTING = 200;

    public Machine(SchemeHeap h) {
        this.h = h;
        this.heap = h.heap;
        this.st = h.stack;
        this.globals = new Globals(heap);
        this.literals = new Literals(heap);
        this.printer = new Printer(this);
        st.set(Stack.K, Value.NONE);
        st.set(Stack.HANDLERS, h.nil());
        register(raiseReturn);
        register(restoreHandlers);
        heap.gc().addListener(event -> collected = true);
        heap.gc().setFinaliserApplier(this::applyFinaliser);
    }

    // ================================================================== code tables

    /** Gives {@code n} an id so frames can name it. */
    public void register(Node n) {
        if (n.id < 0) {
            n.id = code.size();
            code.add(n);
        }
    }

    /** Registers {@code n}, a node of the body of {@code owner} (null: top level). */
    public void register(Node n, Lambda owner) {
        register(n);
        n.owner = owner;
    }

    public void register(Lambda l) {
        if (l.id < 0) {
            l.id = lambdas.size();
            lambdas.add(l);
        }
    }

    public Lambda lambda(int id) {
        return lambdas.get(id);
    }

    /** The compiled node with code-table index {@code id}. */
    Node node(int id) {
        return code.get(id);
    }

    /** Adds a primitive and binds it to the global of its name. */
    public void define(Primitive p) {
        p.index = primitives.size();
        primitives.add(p);
        globals.set(globals.slot(p.name), makePrimitive(p, h.f()));
    }

    /** A primitive procedure object for {@code p} carrying {@code datum} (rooted by the caller). */
    public long makePrimitive(Primitive p, long datum) {
        if (p.index < 0) {
            p.index = primitives.size();
            primitives.add(p);
        }
        return heap.alloc(SchemeTag.PRIMITIVE, Value.ofInt(p.index), datum);
    }

    public Primitive primitive(long proc) {
        return primitives.get((int) Value.intOf(heap.field(proc, PrimitiveLayout.INDEX_FIELD)));
    }

    public PrintWriter out() {
        return out;
    }

    public void setOut(PrintWriter out) {
        this.out = out;
    }

    // ================================================================== registers and frames

    public long val() {
        return st.get(Stack.VAL);
    }

    public long env() {
        return st.get(Stack.ENV);
    }

    /** Returns {@code v} to the continuation: sets the value register; no next node. */
    public void ret(long v) {
        st.set(Stack.VAL, v);
        node = null;
    }

    /** Argument {@code i} of a primitive whose arguments start at {@code args}. */
    public long arg(int args, int i) {
        return st.get(args + i);
    }

    /** The datum of the primitive procedure being applied (it sits just below its arguments). */
    public long self(int args) {
        return heap.field(st.get(args - 1), PrimitiveLayout.DATUM_FIELD);
    }

    /**
     * Pushes a frame for {@code n} with room for {@code values} saved values (all NONE), state 0,
     * capturing the continuation and environment registers.
     */
    public void pushFrame(Node n, int values) {
        long f = heap.allocBlock(SchemeTag.FRAME, FrameLayout.sizeWords(values));
        heap.setField(f, FrameLayout.NEXT_FIELD, st.get(Stack.K));
        heap.setField(f, FrameLayout.NODE_FIELD, Value.ofInt(n.id));
        heap.setField(f, FrameLayout.ENV_FIELD, st.get(Stack.ENV));
        heap.setField(f, FrameLayout.STATE_FIELD, Value.ofInt(0));
        st.set(Stack.K, f);
    }

    /** Pops the current frame. */
    public void popFrame() {
        st.set(Stack.K, heap.field(st.get(Stack.K), FrameLayout.NEXT_FIELD));
    }

    public int frameState() {
        return (int) Value.intOf(heap.field(st.get(Stack.K), FrameLayout.STATE_FIELD));
    }

    public void setFrameState(int s) {
        heap.setField(st.get(Stack.K), FrameLayout.STATE_FIELD, Value.ofInt(s));
    }

    public long frameValue(int i) {
        return heap.field(st.get(Stack.K), FrameLayout.valueField(i));
    }

    public void setFrameValue(int i, long v) {
        heap.setField(st.get(Stack.K), FrameLayout.valueField(i), v);
    }

    // ================================================================== application

    /**
     * Applies the procedure at stack slot {@code base} to the {@code nargs} arguments above it,
     * in tail position (the current continuation receives the result). Leaves the stack at
     * {@code base} once the arguments are consumed.
     */
    public void apply(int base, int nargs) {
        long proc = st.get(base);
        if (Value.isBlock(proc)) {
            int tag = heap.tag(proc);
            if (tag == SchemeTag.CLOSURE) {
                Lambda l = lambdas.get((int) Value.intOf(heap.field(proc, ClosureLayout.CODE_FIELD)));
                enter(l, base, nargs);
                return;
            }
            if (tag == SchemeTag.PRIMITIVE) {
                callPrimitive(primitives.get((int) Value.intOf(heap.field(proc, PrimitiveLayout.INDEX_FIELD))),
                        base, nargs);
                return;
            }
        }
        throw new ErrorSignal("wrong-type", "application: not a procedure: " + printer.brief(proc)
                + " (applied to " + nargs + (nargs == 1 ? " argument)" : " arguments)"), proc);
    }

    private void callPrimitive(Primitive p, int base, int nargs) {
        if (nargs < p.minArgs || (p.maxArgs >= 0 && nargs > p.maxArgs)) {
            throw new ErrorSignal("wrong-arity", p.name + ": wrong number of arguments: expected "
                    + p.arityText() + ", got " + nargs);
        }
        long r = p.body.apply(this, base + 1, nargs);
        if (r != Value.NONE) {
            st.reset(base);
            ret(r);
        }
    }

    /**
     * Enters {@code l} with the arguments at [base+1, base+1+nargs). Slot {@code base} holds the
     * new frame's link: the closure being applied, or, for a block entered directly
     * ({@code let}), the current environment.
     */
    public void enter(Lambda l, int base, int nargs) {
        if (nargs < l.required || (!l.rest && nargs > l.required)) {
            throw new ErrorSignal("wrong-arity", l.displayName() + ": wrong number of arguments: expected "
                    + l.arityText() + ", got " + nargs, st.get(base));
        }
        if (collected | interruptRequested) {
            poll();
        }
        if (l.rest) {
            long rest = h.listFromStack(base + 1 + l.required, base + 1 + nargs);
            // the rest list takes the slot of the first extra argument: a new one if there is none
            int restSlot = base + 1 + l.required;
            if (restSlot < st.sp()) {
                st.set(restSlot, rest);
            } else {
                st.push(rest);
            }
        }
        long env = heap.allocBlock(SchemeTag.ENVIRONMENT, EnvironmentLayout.sizeWords(l.frameSize));
        heap.setField(env, EnvironmentLayout.LINK_FIELD, st.get(base));
        int given = l.rest ? l.required + 1 : l.required;
        for (int i = 0; i < given; i++) {
            heap.setField(env, EnvironmentLayout.slotField(i), st.get(base + 1 + i));
        }
        long unassigned = h.unassigned();
        for (int i = given; i < l.frameSize; i++) {
            heap.setField(env, EnvironmentLayout.slotField(i), unassigned);
        }
        st.set(Stack.ENV, env);
        st.reset(base);
        int[] boxed = l.boxedSlots;
        for (int slot : boxed) {
            // the environment register roots the frame across the allocation of each box
            long box = heap.alloc(SchemeTag.BOX, heap.field(st.get(Stack.ENV), EnvironmentLayout.slotField(slot)));
            heap.setField(st.get(Stack.ENV), EnvironmentLayout.slotField(slot), box);
        }
        node = l.body;
    }

    /** Runs pending finalisers and guardian deliveries (a safe point). */
    public void safePoint() {
        collected = false;
        heap.poll();
    }

    /** At a procedure call: stops for a pending interrupt, else runs a safe point. */
    private void poll() {
        if (interruptRequested) {
            interruptRequested = false;
            throw new SchemeInterrupt(Backtrace.ofContinuation(this).lines(lastCall));
        }
        safePoint();
    }

    /**
     * Asks the running evaluation to stop at its next procedure call (which includes every loop
     * iteration), with a {@link SchemeInterrupt}. May be called from any thread — a signal
     * handler. Returns false if a request was already pending (the evaluation has not reached a
     * call since: it is inside one long primitive).
     */
    public boolean interrupt() {
        boolean fresh = !interruptRequested;
        interruptRequested = true;
        return fresh;
    }

    /** Forgets a pending interrupt request (one that arrived after its evaluation finished). */
    public void clearInterrupt() {
        interruptRequested = false;
    }

    // ================================================================== running

    /**
     * Evaluates {@code n} as a top-level form (no local environment, no handlers) and returns
     * its value (raw: valid until the next allocation). May be called while another evaluation
     * is suspended (by {@code load}); the suspended registers are saved on the stack.
     */
    public long execute(Node n) {
        Node suspended = node;
        Node call = lastCall;
        int mark = saveRegisters();
        try {
            enterNested();
            st.set(Stack.ENV, Value.NONE);
            node = n;
            lastCall = null;
            return run(mark + SAVED);
        } finally {
            nesting--;
            node = suspended;
            lastCall = call;
            restoreRegisters(mark);
        }
    }

    private void enterNested() {
        if (++nesting > MAX_NESTING) {
            throw new SchemeError("internal", "evaluations nested too deeply (" + MAX_NESTING + " inside one another): "
                    + "a recursion through load, with-output-to-string, finalisers or hashtable procedures?");
        }
    }

    private static final int SAVED = 5;

    private int saveRegisters() {
        int mark = st.sp();
        st.push(st.get(Stack.VAL));
        st.push(st.get(Stack.ENV));
        st.push(st.get(Stack.K));
        st.push(st.get(Stack.HANDLERS));
        st.push(st.get(Stack.TMP));
        st.set(Stack.K, Value.NONE);
        st.set(Stack.HANDLERS, h.nil());
        return mark;
    }

    private void restoreRegisters(int mark) {
        st.set(Stack.VAL, st.get(mark));
        st.set(Stack.ENV, st.get(mark + 1));
        st.set(Stack.K, st.get(mark + 2));
        st.set(Stack.HANDLERS, st.get(mark + 3));
        st.set(Stack.TMP, st.get(mark + 4));
        st.reset(mark);
    }

    /**
     * Begins a nested call of a Scheme procedure from Java: saves the registers on the stack and
     * returns a mark. The caller then pushes the procedure and its arguments, and calls
     * {@link #finishCall}.
     */
    public int beginCall() {
        return saveRegisters();
    }

    /**
     * Runs the call set up after {@link #beginCall} with {@code nargs} arguments, restores the
     * registers and the stack, and returns the result (raw). An uncaught error in the call
     * propagates as a {@link SchemeError}.
     */
    public long finishCall(int mark, int nargs) {
        Node suspended = node;
        Node call = lastCall;
        int base = mark + SAVED;
        try {
            node = null;
            st.set(Stack.VAL, h.unspecified());
            enterNested();
            try {
                apply(base, nargs);
            } catch (ErrorSignal e) {
                signal(e, base);
            }
            return run(base);
        } finally {
            nesting--;
            node = suspended;
            lastCall = call;
            restoreRegisters(mark);
        }
    }

    /** Calls {@code proc} (rooted at stack slot {@code procSlot}) with no arguments. */
    public long call0(long proc) {
        int mark = beginCall();
        st.push(proc);
        return finishCall(mark, 0);
    }

    private void applyFinaliser(Handle function, Handle value) {
        int mark = beginCall();
        st.push(function.get());
        if (value != null) {
            st.push(value.get());
        }
        finishCall(mark, value != null ? 1 : 0);
    }

    /**
     * The run loop: steps until the bottom continuation receives a value. Java-side failures are
     * turned into Scheme errors and raised here, so handlers see them; an object raised and not
     * handled in a nested run (a finaliser, a loaded file) arrives as a {@link Propagation} and
     * is raised again here, unchanged — as OCaml lets an exception from a finaliser propagate
     * from the point where the finaliser ran.
     */
    private long run(int base) {
        int outerBase = loopBase;
        loopBase = base;
        runDepth++;
        try {
            while (true) {
                try {
                    while (true) {
                        Node n = node;
                        if (n != null) {
                            node = null;
                            n.eval(this);
                        } else {
                            long k = st.get(Stack.K);
                            if (k == Value.NONE) {
                                return st.get(Stack.VAL);
                            }
                            Node r = code.get((int) Value.intOf(heap.field(k, FrameLayout.NODE_FIELD)));
                            st.set(Stack.ENV, heap.field(k, FrameLayout.ENV_FIELD));
                            r.resume(this);
                        }
                    }
                } catch (ErrorSignal e) {
                    signal(e, loopBase);
                } catch (Propagation e) {
                    st.reset(loopBase);
                    st.set(Stack.VAL, st.get(Stack.RAISED));
                    st.set(Stack.RAISED, Value.NONE);
                    raise(false);
                } catch (SchemeError e) {
                    // a read or syntax error of a loaded file, or a nested run's own failure
                    if (st.get(Stack.HANDLERS) == h.nil() || e.kind().equals("heap-exhausted")) {
                        throw e;
                    }
                    st.reset(loopBase);
                    raiseCondition(e.kind(), e.getMessage(), Value.NONE, null);
                } catch (SchemeExit e) {
                    throw e;
                } catch (StackOverflowError e) {
                    st.reset(loopBase);
                    raiseCondition("internal", "Java stack overflow (data nested too deeply?)", Value.NONE, null);
                } catch (HeapExhaustedException e) {
                    throw heapExhausted(e.getMessage());
                } catch (OutOfMemoryError e) {
                    // the JVM's heap, not ours: a Java-side structure (a huge string) that did not fit
                    throw heapExhausted("the JVM is out of memory (" + e.getMessage() + ")");
                } catch (ArithmeticException | IllegalArgumentException | IndexOutOfBoundsException
                         | IllegalStateException e) {
                    st.reset(loopBase);
                    raiseCondition("internal", String.valueOf(e.getMessage()), Value.NONE, null);
                }
            }
        } finally {
            runDepth--;
            loopBase = outerBase;
        }
    }

    /**
     * The error for an exhausted heap. It is not raised in Scheme (a handler could not run
     * without memory): the evaluation is abandoned — its continuation dropped, so its frames are
     * garbage — and the error goes to the host, which keeps the interpreter and its
     * definitions. A deep continuation is named, since runaway recursion is the usual cause.
     */
    private SchemeError heapExhausted(String detail) {
        // the heap's message starts with its operation and "heap exhausted": said once is enough
        detail = String.valueOf(detail);
        String rest = detail.replaceFirst("^Heap\\.\\w+: heap exhausted ", "");
        String what = rest.equals(detail) ? "heap exhausted: " + detail : "heap exhausted " + rest;
        long frames = 0;
        for (long k = st.get(Stack.K); Value.isBlock(k) && frames < 100_000_000L; frames++) {
            k = heap.field(k, FrameLayout.NEXT_FIELD);
        }
        st.reset(loopBase);
        st.set(Stack.K, Value.NONE);
        st.set(Stack.ENV, Value.NONE);
        st.set(Stack.VAL, Value.NONE);
        String depth = frames >= 10_000 ? " (the continuation was " + frames
                + " frames deep: runaway recursion?)" : "";
        return new SchemeError("heap-exhausted", what + depth);
    }

    // ================================================================== errors and handlers

    /** Turns a Java-side error into a Scheme error object and raises it. */
    private void signal(ErrorSignal e, int resetTo) {
        long irritant = e.irritant;
        st.reset(resetTo);
        raiseCondition(e.kind, e.getMessage(), irritant, e.where);
    }

    /**
     * Makes an error object of {@code kind} with {@code message} and (unless NONE) the one
     * irritant, located at {@code where} (null: the call being made), and raises it
     * non-continuably. {@code irritant} must be valid (no allocation since it was read).
     */
    public void raiseCondition(String kind, String message, long irritant, Node where) {
        int base = st.sp();
        st.push(irritant == Value.NONE ? h.nil() : irritant);
        if (irritant != Value.NONE) {
            st.set(base, h.cons(st.get(base), h.nil()));
        }
        st.push(h.symbol(kind));
        st.push(h.string(message));
        long c = makeCondition(base + 1, base + 2, base, where != null ? where : lastCall);
        st.reset(base);
        st.set(Stack.VAL, c);
        raise(false);
    }

    /**
     * A new error object whose kind, message and irritants are at the given stack slots,
     * located at the call being made, with the current continuation's backtrace.
     */
    public long makeCondition(int kindSlot, int messageSlot, int irritantsSlot) {
        return makeCondition(kindSlot, messageSlot, irritantsSlot, lastCall);
    }

    private long makeCondition(int kindSlot, int messageSlot, int irritantsSlot, Node where) {
        int trace = st.push(Backtrace.ofContinuation(this).toHeap(this));
        long location = where != null && where.id >= 0 ? Value.ofInt(where.id) : h.f();
        long c = heap.allocFields(SchemeTag.CONDITION, st.get(kindSlot), st.get(messageSlot), st.get(irritantsSlot),
                location, st.get(trace));
        st.reset(trace);
        return c;
    }

    /**
     * Raises the object in the value register. With no handler it escapes: to the run loop that
     * started this nested run, if any (see {@link Propagation}), else to the host as a
     * {@link SchemeError}. A {@code guard} entry unwinds to its frame; a handler procedure is
     * called with the outer handlers installed, and for a non-continuable raise its return is
     * itself an error.
     */
    public void raise(boolean continuable) {
        long handlers = st.get(Stack.HANDLERS);
        if (handlers == h.nil()) {
            if (runDepth > 1) {
                st.set(Stack.RAISED, st.get(Stack.VAL));
                throw Propagation.INSTANCE;
            }
            throw uncaught(st.get(Stack.VAL));
        }
        long entry = h.car(handlers);
        if (h.is(entry, SchemeTag.GUARD_HANDLER)) {
            long frame = heap.field(entry, HandlerLayout.FRAME_FIELD);
            st.set(Stack.K, frame);
            st.set(Stack.ENV, heap.field(frame, FrameLayout.ENV_FIELD));
            Node guard = code.get((int) Value.intOf(heap.field(frame, FrameLayout.NODE_FIELD)));
            ((GuardNode) guard).handle(this);
            return;
        }
        pushFrame(raiseReturn, 2);
        setFrameState(continuable ? 1 : 0);
        setFrameValue(0, st.get(Stack.HANDLERS));
        setFrameValue(1, st.get(Stack.VAL));
        st.set(Stack.HANDLERS, h.cdr(st.get(Stack.HANDLERS)));
        int base = st.sp();
        st.push(h.car(frameValue(0)));
        st.push(st.get(Stack.VAL));
        apply(base, 1);
    }

    /**
     * The host-side error for an uncaught raise of {@code obj}: an error object reports where it
     * was made; any other object, the raise and the continuation now.
     */
    public SchemeError uncaught(long obj) {
        if (h.is(obj, SchemeTag.CONDITION)) {
            String kind = h.symbolName(heap.field(obj, ConditionLayout.KIND_FIELD));
            long location = heap.field(obj, ConditionLayout.LOCATION_FIELD);
            Node where = Value.isInt(location) ? code.get((int) Value.intOf(location)) : null;
            Backtrace trace = Backtrace.fromHeap(this, heap.field(obj, ConditionLayout.BACKTRACE_FIELD));
            return new SchemeError(kind, printer.conditionMessage(obj), where != null ? where.pos : null,
                    trace.lines(where));
        }
        return new SchemeError("error", "uncaught exception: " + printer.brief(obj),
                lastCall != null ? lastCall.pos : null, Backtrace.ofContinuation(this).lines(lastCall));
    }

    /**
     * Carries an object raised and not handled in a nested run of the machine out to the run
     * loop that started it; the object itself waits in the {@link Stack#RAISED} register, a
     * root, while the Java stack unwinds (through the heap's finaliser loop, a {@code load}).
     */
    static final class Propagation extends RuntimeException {
        static final Propagation INSTANCE = new Propagation();

        private Propagation() {
            super("raise propagating out of a nested run", null, false, false);
        }
    }

    /**
     * {@code (with-exception-handler handler thunk)} with the primitive at stack slot
     * {@code base}, the handler and thunk above it: installs the handler for the call of the
     * thunk, which is made with a frame that restores the handlers when it returns.
     */
    public void withHandler(int base) {
        pushFrame(restoreHandlers, 1);
        setFrameValue(0, st.get(Stack.HANDLERS));
        st.set(Stack.HANDLERS, h.cons(st.get(base + 1), st.get(Stack.HANDLERS)));
        st.set(base, st.get(base + 2));
        st.reset(base + 1);
        apply(base, 0);
    }

    /** Returns to a raise: continuable raises return the handler's value. */
    private final class RaiseReturnNode extends Node {
        RaiseReturnNode() {
            super(null);
        }

        @Override
        public void eval(Machine m) {
            throw new IllegalStateException("raise-return is not evaluated");
        }

        @Override
        public void resume(Machine m) {
            long saved = frameValue(0);
            boolean continuable = frameState() == 1;
            if (continuable) {
                st.set(Stack.HANDLERS, saved);
                popFrame();
                node = null;
                return;
            }
            long obj = frameValue(1);
            st.set(Stack.HANDLERS, h.cdr(saved));
            popFrame();
            raiseCondition("error", "exception handler returned from a non-continuable raise of", obj, null);
        }
    }

    private final class RestoreHandlersNode extends Node {
        RestoreHandlersNode() {
            super(null);
        }

        @Override
        public void eval(Machine m) {
            throw new IllegalStateException("restore-handlers is not evaluated");
        }

        @Override
        public void resume(Machine m) {
            st.set(Stack.HANDLERS, frameValue(0));
            popFrame();
            node = null;
        }
    }

    @Override
    public void close() {
        globals.close();
        literals.close();
    }
}
