package dev.ephemera.badinput;

import dev.ephemera.Finaliser;
import dev.ephemera.HeapClosedException;
import dev.ephemera.Heap;
import dev.ephemera.NotABlockException;
import dev.ephemera.StalePointerException;
import dev.ephemera.WrongTagException;
import dev.ephemera.WrongThreadException;
import dev.ephemera.badinput.Fixture.Kind;
import dev.ephemera.object.Tag;
import dev.ephemera.object.Value;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every public operation of the heap that takes an argument, with the kind of each parameter;
 * from the parameter kinds follow the bad arguments it can get and the exception each must
 * raise ({@link Param#expected}). A call overrides an expectation where the API documents
 * another behaviour (a predicate answers false for an immediate; Core's {@code _ignore}
 * variants never raise; ...).
 */
final class Catalogue {
    private Catalogue() {}

    /** A bad argument. */
    enum Bad {
        IMMEDIATE, NONE, WRONG_TAG, WRONG_ARITY, STALE_YOUNG, STALE_FREED,
        NEGATIVE, PAST_END, HUGE, MIN_INT,
        INFIX_TAG, UNSCANNED_TAG, TAG_256,
        DOUBLE, LAZY, FORWARD, OTHER_HEAP, NULL
    }

    /** The kind of a parameter: its good argument, and the bad ones it can get. */
    enum Param {
        BLOCK(Kind.BLOCK), K1(Kind.K1), K2(Kind.K2), KN(Kind.KN), WEAK(Kind.WEAK), GUARDIAN(Kind.GUARDIAN),
        STRING(Kind.STRING), DOUBLE(Kind.DOUBLE), DOUBLE_ARRAY(Kind.DOUBLE_ARRAY), CUSTOM(Kind.CUSTOM),
        FOREIGN(Kind.FOREIGN),
        /** Any block will do (no wrong tag). */
        ANY_BLOCK(Kind.BLOCK),
        /** A value to finalise or guard: a fresh block. */
        FINALISABLE(Kind.BLOCK),
        /** A value to store: anything but a stale pointer. */
        VALUE(Kind.BLOCK),
        /** Field index of the BLOCK argument, [0, 4). */
        FIELD_INDEX(null), KEY_INDEX(null), SLOT_INDEX(null), BYTE_INDEX(null), DOUBLE_INDEX(null), RAW_INDEX(null),
        /** A size or count; good: 2. */
        SIZE(null),
        /** A block tag; good: 0. */
        TAG(null),
        /** A Java function (Finaliser, Runnable); good: one that does nothing. */
        FUNCTION(null),
        /** A Java object reference that must not be null (a String, an array, a thread ...). */
        OBJECT(null);

        final Kind kind;

        Param(Kind kind) {
            this.kind = kind;
        }

        /** The bad arguments this parameter can get, with the exception each must raise by default. */
        Map<Bad, Class<? extends Throwable>> expected() {
            Map<Bad, Class<? extends Throwable>> m = new EnumMap<>(Bad.class);
            if (kind != null) {
                m.put(Bad.STALE_FREED, StalePointerException.class);
                if (kind != Kind.K1 && kind != Kind.K2 && kind != Kind.KN && kind != Kind.WEAK) {
                    m.put(Bad.STALE_YOUNG, StalePointerException.class);   // ephemerons are never young
                }
            }
            switch (this) {
                case VALUE:
                    break;
                case FINALISABLE:
                    m.put(Bad.IMMEDIATE, NotABlockException.class);
                    m.put(Bad.NONE, NotABlockException.class);
                    m.put(Bad.DOUBLE, WrongTagException.class);
                    m.put(Bad.LAZY, WrongTagException.class);
                    m.put(Bad.FORWARD, WrongTagException.class);
                    m.put(Bad.OTHER_HEAP, RuntimeException.class); // "not a block of this heap", or stale
                    break;
                case FIELD_INDEX: case KEY_INDEX: case SLOT_INDEX: case BYTE_INDEX: case DOUBLE_INDEX: case RAW_INDEX:
                    m.put(Bad.NEGATIVE, IndexOutOfBoundsException.class);
                    m.put(Bad.PAST_END, IndexOutOfBoundsException.class);
                    m.put(Bad.HUGE, IndexOutOfBoundsException.class);
                    m.put(Bad.MIN_INT, IndexOutOfBoundsException.class);
                    break;
                case SIZE:
                    m.put(Bad.NEGATIVE, IllegalArgumentException.class);
                    m.put(Bad.HUGE, IllegalArgumentException.class);
                    m.put(Bad.MIN_INT, IllegalArgumentException.class);
                    break;
                case TAG:
                    m.put(Bad.NEGATIVE, IllegalArgumentException.class);
                    m.put(Bad.INFIX_TAG, IllegalArgumentException.class);
                    m.put(Bad.UNSCANNED_TAG, IllegalArgumentException.class);
                    m.put(Bad.TAG_256, IllegalArgumentException.class);
                    break;
                case FUNCTION: case OBJECT:
                    m.put(Bad.NULL, IllegalArgumentException.class);
                    break;
                default:
                    m.put(Bad.IMMEDIATE, NotABlockException.class);
                    m.put(Bad.NONE, NotABlockException.class);
                    if (this != ANY_BLOCK) {
                        m.put(Bad.WRONG_TAG, WrongTagException.class);
                    }
                    if (this == K1 || this == K2) {
                        m.put(Bad.WRONG_ARITY, IllegalArgumentException.class);
                    }
            }
            return m;
        }

        /** The length the index parameters index into. */
        int length() {
            switch (this) {
                case FIELD_INDEX: return Fixture.BLOCK_FIELDS;
                case KEY_INDEX: return Fixture.KN_KEYS;
                case SLOT_INDEX: return Fixture.WEAK_SLOTS;
                case BYTE_INDEX: return Fixture.STRING_BYTES;
                case DOUBLE_INDEX: return Fixture.DOUBLES;
                default: return Fixture.CUSTOM_WORDS;
            }
        }
    }

    /** How to call an operation with an argument array (Long for values, Integer for ints). */
    @FunctionalInterface
    interface Invoker {
        Object call(Heap heap, Object[] args) throws Exception;
    }

    /** One public operation. */
    static final class Call {
        final String op;
        final Param[] params;
        final Invoker invoker;
        /** Per-(param index, bad) expectations that differ from the default; null = returns normally. */
        final Map<String, Class<? extends Throwable>> overrides = new java.util.HashMap<>();
        /** False for operations that may be used from any thread or after close (documented). */
        boolean checksOwner = true;
        /** Good Java objects for OBJECT parameters, by parameter index. */
        final Map<Integer, java.util.function.Supplier<Object>> goods = new java.util.HashMap<>();
        /**
         * Known gaps: cases (key "i:BAD", "thread" or "closed") where the heap does not do what
         * this suite expects, reported and not yet decided; run, printed, not failed.
         */
        final Map<String, String> gaps = new java.util.HashMap<>();

        Call(String op, Invoker invoker, Param... params) {
            this.op = op;
            this.params = params;
            this.invoker = invoker;
        }

        /** Bad argument {@code bad} in any parameter raises {@code ex} (null: returns normally). */
        Call expect(Bad bad, Class<? extends Throwable> ex) {
            for (int i = 0; i < params.length; i++) {
                overrides.put(i + ":" + bad, ex);
            }
            return this;
        }

        Call expect(int param, Bad bad, Class<? extends Throwable> ex) {
            overrides.put(param + ":" + bad, ex);
            return this;
        }

        Call anyThread() {
            checksOwner = false;
            return this;
        }

        /** Bad argument {@code bad} of parameter {@code param} is not a bad argument here. */
        Call skip(int param, Bad bad) {
            overrides.put(param + ":" + bad, SKIP.class);
            return this;
        }

        Call good(int param, java.util.function.Supplier<Object> supplier) {
            goods.put(param, supplier);
            return this;
        }

        /** A known gap for bad argument {@code bad} of parameter {@code param}. */
        Call gap(int param, Bad bad, String why) {
            gaps.put(param + ":" + bad, why);
            return this;
        }

        /** A known gap for the whole call: {@code "thread"} or {@code "closed"}. */
        Call gap(String what, String why) {
            gaps.put(what, why);
            return this;
        }

        /** (bad argument, expected exception) for parameter {@code i}. */
        Map<Bad, Class<? extends Throwable>> expectations(int i) {
            Map<Bad, Class<? extends Throwable>> m = params[i].expected();
            for (Bad b : Bad.values()) {
                String key = i + ":" + b;
                if (overrides.containsKey(key)) {
                    m.put(b, overrides.get(key));
                }
            }
            m.values().removeIf(ex -> ex == SKIP.class);
            return m;
        }

        @Override
        public String toString() {
            return op;
        }
    }

    static long l(Object o) {
        return (Long) o;
    }

    static int i(Object o) {
        return (Integer) o;
    }

    static final String NULL_ARRAY = "a null Java argument raises a bare NullPointerException that does not name the operation";
    static final String NO_CHECKS = "no owner-thread, closed-heap or stale-pointer check at all";
    static final String GETTER_SETTER = "no owner-thread or closed-heap check";
    static final String MESSAGES = "no Messages operation checks the owner thread or a closed heap (only finalize/definalize do)";
    static final String INTERNAL_NAME = "the error names an internal operation, not the one called";

    private static final Finaliser NOTHING = v -> { };
    private static final Runnable NOTHING_LAST = () -> { };

    static Finaliser f(Object o) {
        return (Finaliser) o;
    }

    static Runnable r(Object o) {
        return o == null ? null : o == NOTHING ? NOTHING_LAST : (Runnable) o;
    }

    /** The good Java argument of a FUNCTION or OBJECT parameter. */
    static Object goodObject(Param p) {
        return p == Param.FUNCTION ? NOTHING : "text";
    }

    /** Every public operation that takes arguments. */
    static List<Call> all() {
        List<Call> c = new ArrayList<>();
        Param B = Param.BLOCK;
        Param V = Param.VALUE;

        // ------------------------------------------------------------ Heap: allocation
        c.add(new Call("Heap.allocBlock", (h, a) -> h.allocBlock(i(a[0]), i(a[1])), Param.TAG, Param.SIZE));
        c.add(new Call("Heap.alloc", (h, a) -> h.alloc(i(a[0]), l(a[1])), Param.TAG, V));
        c.add(new Call("Heap.alloc", (h, a) -> h.alloc(i(a[0]), l(a[1]), l(a[2])), Param.TAG, V, V));
        c.add(new Call("Heap.allocFields", (h, a) -> h.alloc(i(a[0]), l(a[1]), l(a[2]), l(a[3])), Param.TAG, V, V, V));
        c.add(new Call("Heap.allocFields", (h, a) -> h.allocFields(i(a[0]), l(a[1])), Param.TAG, V));
        c.add(new Call("Heap.allocFields", (h, a) -> h.allocFields(0, (long[]) a[0]), Param.OBJECT)
                .good(0, () -> new long[] {1L}));
        c.add(new Call("Heap.allocArray", (h, a) -> h.allocArray(i(a[0]), l(a[1])), Param.SIZE, V));
        c.add(new Call("Heap.allocBytes", (h, a) -> h.allocBytes(i(a[0])), Param.SIZE)
                .skip(0, Bad.HUGE)); // a 2 GB string is a legal request
        c.add(new Call("Heap.allocString", (h, a) -> h.allocString((String) a[0]), Param.OBJECT)
                .good(0, () -> "text"));
        c.add(new Call("Heap.allocBytes", (h, a) -> h.allocBytes((byte[]) a[0]), Param.OBJECT)
                .good(0, () -> new byte[3]));
        c.add(new Call("Heap.allocDoubleArray", (h, a) -> h.allocDoubleArray((double[]) a[0]), Param.OBJECT)
                .good(0, () -> new double[3]));
        c.add(new Call("Heap.allocCustom", (h, a) -> h.allocCustom(7, i(a[0])), Param.SIZE));
        c.add(new Call("Heap.allocForeign", (h, a) -> h.allocForeign(a[0]), Param.OBJECT)
                .expect(Bad.NULL, null)); // a foreign box may stand for null

        // ------------------------------------------------------------ Heap: access
        c.add(new Call("Heap.tag", (h, a) -> h.tag(l(a[0])), Param.ANY_BLOCK));
        c.add(new Call("Heap.size", (h, a) -> h.size(l(a[0])), Param.ANY_BLOCK));
        c.add(new Call("Heap.field", (h, a) -> h.field(l(a[0]), i(a[1])), B, Param.FIELD_INDEX));
        c.add(new Call("Heap.setField", (h, a) -> {
            h.setField(l(a[0]), i(a[1]), l(a[2]));
            return null;
        }, B, Param.FIELD_INDEX, V));
        c.add(new Call("Heap.rawField", (h, a) -> h.rawField(l(a[0]), i(a[1])), Param.CUSTOM, Param.RAW_INDEX));
        c.add(new Call("Heap.setRawField", (h, a) -> {
            h.setRawField(l(a[0]), i(a[1]), 5L);
            return null;
        }, Param.CUSTOM, Param.RAW_INDEX));
        c.add(new Call("Heap.doubleValue", (h, a) -> h.doubleValue(l(a[0])), Param.DOUBLE));
        c.add(new Call("Heap.doubleField", (h, a) -> h.doubleField(l(a[0]), i(a[1])), Param.DOUBLE_ARRAY, Param.DOUBLE_INDEX));
        c.add(new Call("Heap.setDoubleField", (h, a) -> {
            h.setDoubleField(l(a[0]), i(a[1]), 1.5);
            return null;
        }, Param.DOUBLE_ARRAY, Param.DOUBLE_INDEX));
        c.add(new Call("Heap.stringLength", (h, a) -> h.stringLength(l(a[0])), Param.STRING));
        c.add(new Call("Heap.byteAt", (h, a) -> h.byteAt(l(a[0]), i(a[1])), Param.STRING, Param.BYTE_INDEX));
        c.add(new Call("Heap.setByteAt", (h, a) -> {
            h.setByteAt(l(a[0]), i(a[1]), 65);
            return null;
        }, Param.STRING, Param.BYTE_INDEX));
        c.add(new Call("Heap.bytes", (h, a) -> h.bytes(l(a[0])), Param.STRING));
        c.add(new Call("Heap.stringValue", (h, a) -> h.stringValue(l(a[0])), Param.STRING));
        c.add(new Call("Heap.foreign", (h, a) -> h.foreign(l(a[0])), Param.FOREIGN));
        c.add(new Call("Heap.isForeign", (h, a) -> h.isForeign(l(a[0])), Param.ANY_BLOCK)
                .expect(Bad.IMMEDIATE, null).expect(Bad.NONE, null));
        c.add(new Call("Heap.identityHash", (h, a) -> h.identityHash(l(a[0])), Param.ANY_BLOCK));
        c.add(new Call("Heap.shallowCopy", (h, a) -> h.shallowCopy(l(a[0])), Param.ANY_BLOCK)
                .expect(Bad.IMMEDIATE, null).expect(Bad.NONE, null));
        c.add(new Call("Heap.isYoung", (h, a) -> h.isYoung(l(a[0])), Param.ANY_BLOCK)
                .expect(Bad.IMMEDIATE, null).expect(Bad.NONE, null));

        // ------------------------------------------------------------ Heap: roots and lifecycle
        c.add(new Call("Heap.newGlobalRoot", (h, a) -> h.newGlobalRoot(l(a[0])), V));
        c.add(new Call("Heap.newWeakRoot", (h, a) -> h.newWeakRoot(l(a[0])), V));
        c.add(new Call("Heap.newRootArea", (h, a) -> h.newRootArea(i(a[0]), dev.ephemera.Rank.STRONG), Param.SIZE));
        c.add(new Call("Heap.newRootArea", (h, a) -> h.newRootArea(2, (dev.ephemera.Rank) a[0]), Param.OBJECT)
                .good(0, () -> dev.ephemera.Rank.WEAK));
        c.add(new Call("Heap.transferTo", (h, a) -> {
            h.transferTo((Thread) a[0]);
            h.transferTo(Thread.currentThread());
            return null;
        }, Param.OBJECT).good(0, Thread::currentThread));

        // ------------------------------------------------------------ Gc
        c.add(new Call("Gc.finalise", (h, a) -> {
            h.gc().finalise(f(a[0]), l(a[1]));
            return null;
        }, Param.FUNCTION, Param.FINALISABLE));
        c.add(new Call("Gc.finalise_last", (h, a) -> {
            h.gc().finaliseLast(r(a[0]), l(a[1]));
            return null;
        }, Param.FUNCTION, Param.FINALISABLE));
        c.add(new Call("Gc.finalise", (h, a) -> {
            h.gc().finaliseWith(l(a[0]), l(a[1]));
            return null;
        }, V, Param.FINALISABLE));
        c.add(new Call("Gc.finalise_last", (h, a) -> {
            h.gc().finaliseLastWith(l(a[0]), l(a[1]));
            return null;
        }, V, Param.FINALISABLE));
        for (String variant : new String[] {"", "_last"}) {
            boolean last = !variant.isEmpty();
            c.add(new Call("Gc.add_finalizer" + variant, (h, a) -> {
                if (last) {
                    h.gc().addFinalizerLast(l(a[1]), r(a[0]));
                } else {
                    h.gc().addFinalizer(l(a[1]), f(a[0]));
                }
                return null;
            }, Param.FUNCTION, Param.FINALISABLE)
                    // Core ignores Invalid_argument: a value OCaml refuses is silently not registered
                    .expect(1, Bad.DOUBLE, null).expect(1, Bad.LAZY, null).expect(1, Bad.FORWARD, null));
            c.add(new Call("Gc.add_finalizer" + variant + "_exn", (h, a) -> {
                if (last) {
                    h.gc().addFinalizerLastExn(l(a[1]), r(a[0]));
                } else {
                    h.gc().addFinalizerExn(l(a[1]), f(a[0]));
                }
                return null;
            }, Param.FUNCTION, Param.FINALISABLE)
                    .expect(1, Bad.IMMEDIATE, IllegalArgumentException.class).expect(1, Bad.NONE, IllegalArgumentException.class)
                    // Core: Failure "Heap_block.create_exn called with non heap block" (Heap_block.is_ok is false)
                    .expect(1, Bad.DOUBLE, IllegalArgumentException.class).expect(1, Bad.LAZY, IllegalArgumentException.class)
                    .expect(1, Bad.FORWARD, IllegalArgumentException.class));
            c.add(new Call("Gc.add_finalizer" + variant + "_ignore", (h, a) -> {
                if (last) {
                    h.gc().addFinalizerLastIgnore(l(a[1]), r(a[0]));
                } else {
                    h.gc().addFinalizerIgnore(l(a[1]), f(a[0]));
                }
                return null;
            }, Param.FUNCTION, Param.FINALISABLE)
                    .expect(1, Bad.IMMEDIATE, null).expect(1, Bad.NONE, null)
                    .expect(1, Bad.DOUBLE, null).expect(1, Bad.LAZY, null).expect(1, Bad.FORWARD, null));
        }
        c.add(new Call("Gc.With_leak_protection.add_finalizer", (h, a) -> {
            h.gc().addFinalizerWithLeakProtection(l(a[1]), f(a[0]));
            return null;
        }, Param.FUNCTION, Param.FINALISABLE)
                // Core's With_leak_protection wraps add_finalizer, which ignores Invalid_argument
                .expect(1, Bad.DOUBLE, null).expect(1, Bad.LAZY, null).expect(1, Bad.FORWARD, null));
        c.add(new Call("Gc.With_leak_protection.add_finalizer", (h, a) -> {
            h.gc().addFinalizerWithLeakProtection(l(a[1]), l(a[0]));
            return null;
        }, V, Param.FINALISABLE)
                // the function is an ephemeron's data, where NONE means none
                .expect(0, Bad.NONE, IllegalArgumentException.class)
                .expect(1, Bad.DOUBLE, null).expect(1, Bad.LAZY, null).expect(1, Bad.FORWARD, null));
        c.add(new Call("Gc.set", (h, a) -> {
            h.gc().setMinorHeapWords(i(a[0]) == 2 ? 512 : i(a[0]));
            return null;
        }, Param.SIZE).expect(0, Bad.HUGE, IllegalArgumentException.class));
        c.add(new Call("Gc.set", (h, a) -> {
            h.gc().setSpaceOverhead(i(a[0]));
            return null;
        }, Param.SIZE).expect(0, Bad.HUGE, IllegalArgumentException.class));
        c.add(new Call("Gc.set", (h, a) -> {
            h.gc().setMaxHeapWords(i(a[0]) == 2 ? 1 << 20 : i(a[0]));
            return null;
        }, Param.SIZE).skip(0, Bad.HUGE));
        c.add(new Call("Gc.setFinaliserApplier", (h, a) -> {
            dev.ephemera.FinaliserApplier applier = (fn, v) -> { };
            h.gc().setFinaliserApplier(a[0] == null ? null : applier);
            return null;
        }, Param.FUNCTION).expect(0, Bad.NULL, IllegalArgumentException.class)); // cannot be unset
        c.add(new Call("Gc.addListener", (h, a) -> {
            dev.ephemera.GcListener listener = e -> { };
            h.gc().addListener(a[0] == null ? null : listener);
            return null;
        }, Param.FUNCTION));

        // ------------------------------------------------------------ Obj.Ephemeron
        Param KN = Param.KN;
        c.add(new Call("Obj.Ephemeron.create", (h, a) -> h.ephemerons().create(i(a[0])), Param.SIZE));
        c.add(new Call("Obj.Ephemeron.length", (h, a) -> h.ephemerons().length(l(a[0])), KN));
        c.add(new Call("Ephemerons.isEphemeron", (h, a) -> h.ephemerons().isEphemeron(l(a[0])), Param.ANY_BLOCK)
                .expect(Bad.IMMEDIATE, null).expect(Bad.NONE, null));
        c.add(new Call("Obj.Ephemeron.get_key", (h, a) -> h.ephemerons().getKey(l(a[0]), i(a[1])), KN, Param.KEY_INDEX));
        c.add(new Call("Obj.Ephemeron.get_key_copy", (h, a) -> h.ephemerons().getKeyCopy(l(a[0]), i(a[1])), KN, Param.KEY_INDEX));
        c.add(new Call("Obj.Ephemeron.set_key", (h, a) -> {
            h.ephemerons().setKey(l(a[0]), i(a[1]), l(a[2]));
            return null;
        }, KN, Param.KEY_INDEX, V));
        c.add(new Call("Obj.Ephemeron.unset_key", (h, a) -> {
            h.ephemerons().unsetKey(l(a[0]), i(a[1]));
            return null;
        }, KN, Param.KEY_INDEX));
        c.add(new Call("Obj.Ephemeron.check_key", (h, a) -> h.ephemerons().checkKey(l(a[0]), i(a[1])), KN, Param.KEY_INDEX));
        c.add(new Call("Obj.Ephemeron.get_data", (h, a) -> h.ephemerons().getData(l(a[0])), KN));
        c.add(new Call("Obj.Ephemeron.get_data_copy", (h, a) -> h.ephemerons().getDataCopy(l(a[0])), KN));
        c.add(new Call("Obj.Ephemeron.set_data", (h, a) -> {
            h.ephemerons().setData(l(a[0]), l(a[1]));
            return null;
        }, KN, V));
        c.add(new Call("Obj.Ephemeron.unset_data", (h, a) -> {
            h.ephemerons().unsetData(l(a[0]));
            return null;
        }, KN));
        c.add(new Call("Obj.Ephemeron.check_data", (h, a) -> h.ephemerons().checkData(l(a[0])), KN));
        c.add(new Call("Obj.Ephemeron.blit_data", (h, a) -> {
            h.ephemerons().blitData(l(a[0]), l(a[1]));
            return null;
        }, KN, KN));
        c.add(new Call("Obj.Ephemeron.blit_key", (h, a) -> {
            h.ephemerons().blitKey(l(a[0]), 0, l(a[1]), 0, 1);
            return null;
        }, KN, KN));

        // ------------------------------------------------------------ Ephemeron.K1 / K2 / Kn
        Param K1 = Param.K1;
        Param K2 = Param.K2;
        c.add(new Call("Ephemeron.K1.get_key", (h, a) -> h.ephemerons().k1().getKey(l(a[0])), K1));
        c.add(new Call("Ephemeron.K1.get_key_copy", (h, a) -> h.ephemerons().k1().getKeyCopy(l(a[0])), K1));
        c.add(new Call("Ephemeron.K1.set_key", (h, a) -> {
            h.ephemerons().k1().setKey(l(a[0]), l(a[1]));
            return null;
        }, K1, V));
        c.add(new Call("Ephemeron.K1.unset_key", (h, a) -> {
            h.ephemerons().k1().unsetKey(l(a[0]));
            return null;
        }, K1));
        c.add(new Call("Ephemeron.K1.check_key", (h, a) -> h.ephemerons().k1().checkKey(l(a[0])), K1));
        c.add(new Call("Ephemeron.K1.blit_key", (h, a) -> {
            h.ephemerons().k1().blitKey(l(a[0]), l(a[1]));
            return null;
        }, K1, K1));
        c.add(new Call("Ephemeron.K1.get_data", (h, a) -> h.ephemerons().k1().getData(l(a[0])), K1));
        c.add(new Call("Ephemeron.K1.get_data_copy", (h, a) -> h.ephemerons().k1().getDataCopy(l(a[0])), K1));
        c.add(new Call("Ephemeron.K1.set_data", (h, a) -> {
            h.ephemerons().k1().setData(l(a[0]), l(a[1]));
            return null;
        }, K1, V));
        c.add(new Call("Ephemeron.K1.unset_data", (h, a) -> {
            h.ephemerons().k1().unsetData(l(a[0]));
            return null;
        }, K1));
        c.add(new Call("Ephemeron.K1.check_data", (h, a) -> h.ephemerons().k1().checkData(l(a[0])), K1));
        c.add(new Call("Ephemeron.K1.blit_data", (h, a) -> {
            h.ephemerons().k1().blitData(l(a[0]), l(a[1]));
            return null;
        }, K1, K1));
        c.add(new Call("Ephemeron.K1.make", (h, a) -> h.ephemerons().k1().make(l(a[0]), l(a[1])), V, V));
        c.add(new Call("Ephemeron.K1.query", (h, a) -> h.ephemerons().k1().query(l(a[0]), l(a[1])), K1, V)
                .expect(1, Bad.STALE_YOUNG, null).expect(1, Bad.STALE_FREED, null)); // compared, never dereferenced
        c.add(new Call("Ephemeron.K2.get_key1", (h, a) -> h.ephemerons().k2().getKey1(l(a[0])), K2));
        c.add(new Call("Ephemeron.K2.get_key2_copy", (h, a) -> h.ephemerons().k2().getKey2Copy(l(a[0])), K2));
        c.add(new Call("Ephemeron.K2.set_key2", (h, a) -> {
            h.ephemerons().k2().setKey2(l(a[0]), l(a[1]));
            return null;
        }, K2, V));
        c.add(new Call("Ephemeron.K2.unset_key1", (h, a) -> {
            h.ephemerons().k2().unsetKey1(l(a[0]));
            return null;
        }, K2));
        c.add(new Call("Ephemeron.K2.check_key2", (h, a) -> h.ephemerons().k2().checkKey2(l(a[0])), K2));
        c.add(new Call("Ephemeron.K2.blit_key12", (h, a) -> {
            h.ephemerons().k2().blitKey12(l(a[0]), l(a[1]));
            return null;
        }, K2, K2));
        c.add(new Call("Ephemeron.K2.blit_key1", (h, a) -> {
            h.ephemerons().k2().blitKey1(l(a[0]), l(a[1]));
            return null;
        }, K2, K2));
        c.add(new Call("Ephemeron.K2.set_data", (h, a) -> {
            h.ephemerons().k2().setData(l(a[0]), l(a[1]));
            return null;
        }, K2, V));
        c.add(new Call("Ephemeron.K2.blit_data", (h, a) -> {
            h.ephemerons().k2().blitData(l(a[0]), l(a[1]));
            return null;
        }, K2, K2));
        c.add(new Call("Ephemeron.K2.make", (h, a) -> h.ephemerons().k2().make(l(a[0]), l(a[1]), l(a[2])), V, V, V));
        c.add(new Call("Ephemeron.K2.query", (h, a) -> h.ephemerons().k2().query(l(a[0]), 1L, 1L), K2));
        c.add(new Call("Ephemeron.Kn.create", (h, a) -> h.ephemerons().kn().create(i(a[0])), Param.SIZE));
        c.add(new Call("Ephemeron.Kn.length", (h, a) -> h.ephemerons().kn().length(l(a[0])), KN));
        c.add(new Call("Ephemeron.Kn.get_key", (h, a) -> h.ephemerons().kn().getKey(l(a[0]), i(a[1])), KN, Param.KEY_INDEX));
        c.add(new Call("Ephemeron.Kn.set_key", (h, a) -> {
            h.ephemerons().kn().setKey(l(a[0]), i(a[1]), l(a[2]));
            return null;
        }, KN, Param.KEY_INDEX, V));
        c.add(new Call("Ephemeron.Kn.unset_key", (h, a) -> {
            h.ephemerons().kn().unsetKey(l(a[0]), i(a[1]));
            return null;
        }, KN, Param.KEY_INDEX));
        c.add(new Call("Ephemeron.Kn.get_data_copy", (h, a) -> h.ephemerons().kn().getDataCopy(l(a[0])), KN));
        c.add(new Call("Ephemeron.Kn.set_data", (h, a) -> {
            h.ephemerons().kn().setData(l(a[0]), l(a[1]));
            return null;
        }, KN, V));
        c.add(new Call("Ephemeron.Kn.blit_key", (h, a) -> {
            h.ephemerons().kn().blitKey(l(a[0]), 0, l(a[1]), 1, 2);
            return null;
        }, KN, KN));
        c.add(new Call("Ephemeron.Kn.make", (h, a) -> h.ephemerons().kn().make(new long[] {l(a[0]), 1L}, l(a[1])), V, V));
        c.add(new Call("Ephemeron.Kn.make", (h, a) -> h.ephemerons().kn().make((long[]) a[0], Value.NONE), Param.OBJECT)
                .good(0, () -> new long[] {Value.ofInt(1)}));
        c.add(new Call("Ephemeron.Kn.query", (h, a) -> h.ephemerons().kn().query(l(a[0]), new long[3]), KN));
        c.add(new Call("Ephemeron.Kn.query", (h, a) -> h.ephemerons().kn().query(l(a[0]), (long[]) a[1]), KN, Param.OBJECT)
                .good(1, () -> new long[3]));

        // ------------------------------------------------------------ Weak
        Param W = Param.WEAK;
        c.add(new Call("Weak.create", (h, a) -> h.weak().create(i(a[0])), Param.SIZE));
        c.add(new Call("Weak.length", (h, a) -> h.weak().length(l(a[0])), W));
        c.add(new Call("Weak.set", (h, a) -> {
            h.weak().set(l(a[0]), i(a[1]), l(a[2]));
            return null;
        }, W, Param.SLOT_INDEX, V));
        c.add(new Call("Weak.get", (h, a) -> h.weak().get(l(a[0]), i(a[1])), W, Param.SLOT_INDEX));
        c.add(new Call("Weak.get_copy", (h, a) -> h.weak().getCopy(l(a[0]), i(a[1])), W, Param.SLOT_INDEX));
        c.add(new Call("Weak.check", (h, a) -> h.weak().check(l(a[0]), i(a[1])), W, Param.SLOT_INDEX));
        c.add(new Call("Weak.fill", (h, a) -> {
            h.weak().fill(l(a[0]), 1, 2, l(a[1]));
            return null;
        }, W, V));
        c.add(new Call("Weak.blit", (h, a) -> {
            h.weak().blit(l(a[0]), 0, l(a[1]), 1, 3);
            return null;
        }, W, W));

        // ------------------------------------------------------------ Guardians and MPS messages
        c.add(new Call("Guardians.register", (h, a) -> {
            h.guardians().register(l(a[0]), l(a[1]));
            return null;
        }, Param.GUARDIAN, Param.FINALISABLE)
                .expect(1, Bad.DOUBLE, null).expect(1, Bad.LAZY, null).expect(1, Bad.FORWARD, null) // any block can be guarded
                );
        c.add(new Call("Guardians.poll", (h, a) -> h.guardians().poll(l(a[0])), Param.GUARDIAN));
        c.add(new Call("Guardians.isGuardian", (h, a) -> h.guardians().isGuardian(l(a[0])), Param.ANY_BLOCK)
                .expect(Bad.IMMEDIATE, null).expect(Bad.NONE, null));
        c.add(new Call("Messages.finalize", (h, a) -> {
            h.messages().finalize(l(a[0]));
            return null;
        }, Param.FINALISABLE).expect(0, Bad.DOUBLE, null).expect(0, Bad.LAZY, null).expect(0, Bad.FORWARD, null));
        c.add(new Call("Messages.definalize", (h, a) -> h.messages().definalize(l(a[0])), Param.FINALISABLE)
                .expect(0, Bad.DOUBLE, null).expect(0, Bad.LAZY, null).expect(0, Bad.FORWARD, null));
        c.add(new Call("Messages.enable", (h, a) -> {
            h.messages().enable((dev.ephemera.Message.Type) a[0]);
            return null;
        }, Param.OBJECT).good(0, () -> dev.ephemera.Message.Type.GC));
        c.add(new Call("Messages.discard", (h, a) -> {
            h.messages().discard((dev.ephemera.Message) a[0]);
            return null;
        }, Param.OBJECT).good(0, () -> null));
        c.add(new Call("Messages.get", (h, a) -> h.messages().get((dev.ephemera.Message.Type) a[0]), Param.OBJECT)
                .good(0, () -> dev.ephemera.Message.Type.GC));

        // ------------------------------------------------------------ operations without arguments
        // (only the other-thread and closed-heap checks apply)
        c.add(new Call("Heap.allocDouble", (h, a) -> h.allocDouble(2.5)));
        c.add(new Call("Heap.openScope", (h, a) -> {
            h.openScope().close();
            return null;
        }));
        c.add(new Call("Heap.poll", (h, a) -> {
            h.poll();
            return null;
        }));
        c.add(new Call("Heap.verify", (h, a) -> {
            h.verify();
            return null;
        }));
        c.add(new Call("Heap.close", (h, a) -> null).anyThread()); // closing is tested in BadStatesTest
        c.add(new Call("Heap.owner", (h, a) -> h.owner()).anyThread());
        c.add(new Call("Heap.isClosed", (h, a) -> h.isClosed()).anyThread());
        c.add(new Call("Gc.minor", (h, a) -> {
            h.gc().minor();
            return null;
        }));
        c.add(new Call("Gc.major", (h, a) -> {
            h.gc().major();
            return null;
        }));
        c.add(new Call("Gc.full_major", (h, a) -> {
            h.gc().fullMajor();
            return null;
        }));
        c.add(new Call("Gc.compact", (h, a) -> {
            h.gc().compact();
            return null;
        }));
        c.add(new Call("Gc.stat", (h, a) -> h.gc().stat()));
        c.add(new Call("Gc.stat", (h, a) -> h.gc().quickStat()));
        c.add(new Call("Gc.finalise_release", (h, a) -> {
            h.gc().finaliseRelease();
            return null;
        }));
        for (String getter : new String[] {"minorWords", "minorHeapWords", "spaceOverhead", "maxHeapWords",
            "registeredFinalisers", "pendingFinalisers"}) {
            c.add(new Call("Gc." + getter, (h, a) -> dev.ephemera.Gc.class.getMethod(getter).invoke(h.gc())));
        }
        c.add(new Call("Gc.setLog", (h, a) -> {
            h.gc().setLog(null);
            return null;
        }));
        c.add(new Call("Gc.removeListener", (h, a) -> {
            h.gc().removeListener(e -> { });
            return null;
        }));
        c.add(new Call("Ephemeron.K1.create", (h, a) -> h.ephemerons().k1().create()));
        c.add(new Call("Ephemeron.K2.create", (h, a) -> h.ephemerons().k2().create()));
        c.add(new Call("Guardians.make", (h, a) -> h.guardians().make()));
        for (String m : new String[] {"poll", "queueType", "collections"}) {
            c.add(new Call("Messages." + m, (h, a) -> dev.ephemera.Messages.class.getMethod(m).invoke(h.messages())));
        }
        c.add(new Call("Messages.disable", (h, a) -> {
            h.messages().disable(dev.ephemera.Message.Type.GC);
            return null;
        }));
        return c;
    }

    /** Marks a skipped case. */
    static final class SKIP extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** The exception class expected when the heap is used from another thread / after close. */
    static final Class<? extends Throwable> WRONG_THREAD = WrongThreadException.class;
    static final Class<? extends Throwable> CLOSED = HeapClosedException.class;

    /** The tag values used for bad tags. */
    static int badTag(Bad b) {
        switch (b) {
            case NEGATIVE: return -1;
            case INFIX_TAG: return Tag.INFIX;
            case UNSCANNED_TAG: return Tag.EPHEMERON;
            default: return 256;
        }
    }
}
