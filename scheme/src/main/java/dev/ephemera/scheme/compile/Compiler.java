package dev.ephemera.scheme.compile;

import dev.ephemera.scheme.SchemeError;
import dev.ephemera.scheme.machine.Assign;
import dev.ephemera.scheme.machine.Boxable;
import dev.ephemera.scheme.machine.CallNode;
import dev.ephemera.scheme.machine.ConstNode;
import dev.ephemera.scheme.machine.FreeRef;
import dev.ephemera.scheme.machine.GlobalRef;
import dev.ephemera.scheme.machine.GuardNode;
import dev.ephemera.scheme.machine.IfNode;
import dev.ephemera.scheme.machine.Lambda;
import dev.ephemera.scheme.machine.LambdaNode;
import dev.ephemera.scheme.machine.LocalRef;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Node;
import dev.ephemera.scheme.machine.SelfRef;
import dev.ephemera.scheme.machine.SeqNode;
import dev.ephemera.scheme.read.Datum;
import dev.ephemera.scheme.read.SPair;
import dev.ephemera.scheme.read.SourcePos;
import dev.ephemera.scheme.read.Sym;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles source data to {@link Node}s. The core forms are {@code quote}, {@code lambda},
 * {@code define}, {@code set!}, {@code if}, {@code begin}, {@code let} (a direct lambda call),
 * {@code and}, {@code or} and {@code guard}; the other special forms are rewritten into these
 * by {@link Expander} first.
 *
 * <h2>Variables and closures</h2>
 * Variables are resolved at compile time (closure conversion). A variable of the current
 * procedure activation — its own frame or a block frame inside it — is a lexical address
 * (links out, slot). A variable of an enclosing procedure is a <i>free variable</i> of every
 * procedure between the use and the binding: each of them gets a field for it, and the closure
 * copies the value when it is made. So a closure holds exactly the variables its code uses,
 * and nothing that was merely in scope (safe for space): a finaliser or a weak box never sees a
 * value kept alive by a closure that does not mention it. A variable that is captured and also
 * assigned lives in a box (see {@link Var}); a procedure naming itself (a loop) uses the
 * running closure ({@link SelfRef}) instead of capturing its own variable. Everything else is
 * a global slot.
 */
public final class Compiler {
    private final Machine m;
    private final Quoter quoter;
    private final Expander expander = new Expander();
    /** The procedure whose body is being compiled (null at top level), for backtraces. */
    private Lambda owner;
    /** The position of the innermost form being compiled, for nodes made from symbols. */
    private SourcePos where;
    /**
     * Every name some {@code set!} in the current top-level form assigns (ignoring scope: a
     * conservative over-approximation). A procedure whose name is in it may be rebound, so it
     * cannot refer to itself as "the running closure".
     */
    private Set<String> assignedNames = Set.of();

    public Compiler(Machine m) {
        this.m = m;
        this.quoter = new Quoter(m.h);
    }

    /** Compiles a top-level form. */
    public Node compileTopLevel(Object form) {
        owner = null;
        where = null;
        assignedNames = assignedNames(form);
        return compile(form, null, null);
    }

    /** The names that appear as {@code (set! name ...)} anywhere in {@code form}. */
    private static Set<String> assignedNames(Object form) {
        Set<String> names = new HashSet<>();
        List<Object> work = new ArrayList<>();
        work.add(form);
        while (!work.isEmpty()) {
            Object x = work.remove(work.size() - 1);
            if (x instanceof Datum.SVector v) {
                work.addAll(v.items());
                continue;
            }
            if (x instanceof SPair p && Datum.isSym(p.car, "set!") && p.cdr instanceof SPair target
                    && target.car instanceof Sym name) {
                names.add(name.name());
            }
            while (x instanceof SPair p) {
                work.add(p.car);
                x = p.cdr;
            }
        }
        return names;
    }

    static SchemeError syntax(Object form, SourcePos pos, String message) {
        String where = pos != null ? pos + ": " : "";
        return new SchemeError("syntax-error", where + "syntax error: " + message + ": " + Datum.write(form));
    }

    private static SourcePos posOf(Object form, SourcePos fallback) {
        return form instanceof SPair p && p.pos != null ? p.pos : fallback;
    }

    private <T extends Node> T reg(T n) {
        m.register(n, owner);
        return n;
    }

    private Node constant(SourcePos pos, long v) {
        return reg(new ConstNode(pos, m.literals.add(v)));
    }

    private Node unspecified(SourcePos pos) {
        return constant(pos, m.h.unspecified());
    }

    private Node compile(Object x, Scope scope, String nameHint) {
        if (x instanceof Sym s) {
            return reference(s.name(), scope, where);
        }
        if (!(x instanceof SPair p)) {
            if (x == Datum.NIL) {
                throw syntax(x, null, "empty combination () is not an expression (quote it: '())");
            }
            return constant(null, quoter.toHeap(x));
        }
        if (p.pos == null) {
            return compileForm(x, p, scope, nameHint);
        }
        SourcePos outer = where;
        where = p.pos;
        try {
            return compileForm(x, p, scope, nameHint);
        } finally {
            where = outer;
        }
    }

    private Node compileForm(Object x, SPair p, Scope scope, String nameHint) {
        SourcePos pos = p.pos != null ? p.pos : where;
        List<Object> items = Datum.toList(x);
        if (items == null) {
            throw syntax(x, pos, "a dotted list is not an expression");
        }
        if (p.car instanceof Sym head && !Scope.isLocal(scope, head.name())) {
            switch (head.name()) {
                case "quote":
                    check(x, pos, items.size() == 2, "quote takes one datum");
                    return constant(pos, quoter.toHeap(items.get(1)));
                case "if":
                    check(x, pos, items.size() == 3 || items.size() == 4, "if takes a test and one or two branches");
                    return reg(new IfNode(pos, compile(items.get(1), scope, null), compile(items.get(2), scope, null),
                            items.size() == 4 ? compile(items.get(3), scope, null) : unspecified(pos)));
                case "define":
                    return define(x, items, scope, pos);
                case "set!":
                    check(x, pos, items.size() == 3 && items.get(1) instanceof Sym, "set! takes a variable and a value");
                    return assign(((Sym) items.get(1)).name(), compile(items.get(2), scope, null), scope, pos, x);
                case "lambda":
                    check(x, pos, items.size() >= 3, "lambda needs parameters and a body");
                    return reg(new LambdaNode(pos, lambda(items.get(1), items.subList(2, items.size()), scope, nameHint,
                            x, pos, true, null)));
                case "begin":
                    if (items.size() == 1) {
                        return unspecified(pos);
                    }
                    if (scope != null && containsDefinition(items.subList(1, items.size()))) {
                        throw syntax(x, pos, "definitions are allowed only at top level or in a body");
                    }
                    return sequence(items.subList(1, items.size()), scope, pos, SeqNode.Kind.BEGIN);
                case "and":
                    if (items.size() == 1) {
                        return constant(pos, m.h.t());
                    }
                    return sequence(items.subList(1, items.size()), scope, pos, SeqNode.Kind.AND);
                case "or":
                    if (items.size() == 1) {
                        return constant(pos, m.h.f());
                    }
                    return sequence(items.subList(1, items.size()), scope, pos, SeqNode.Kind.OR);
                case "let":
                    if (items.size() >= 2 && items.get(1) instanceof Sym) {
                        return compile(expander.namedLet(x, items, pos), scope, nameHint);
                    }
                    return let(x, items, scope, pos);
                case "guard":
                    return guard(x, items, scope, pos);
                case "define-record-type":
                    if (scope != null) {
                        throw syntax(x, pos, "definitions are allowed only at top level or in a body");
                    }
                    return compile(expander.defineRecordType(x, items, pos), scope, nameHint);
                default: {
                    Object expanded = expander.expand(head.name(), x, items, pos);
                    if (expanded != null) {
                        return compile(expanded, scope, nameHint);
                    }
                }
            }
        }
        Node[] parts = new Node[items.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = compile(items.get(i), scope, null);
        }
        return reg(new CallNode(pos, parts));
    }

    private static void check(Object form, SourcePos pos, boolean ok, String message) {
        if (!ok) {
            throw syntax(form, pos, message);
        }
    }

    /** How a variable is reached from a scope. */
    private enum Access { LOCAL, FREE, SELF, GLOBAL }

    /** The result of resolving a name: how, how many frame links out, which slot or field. */
    private record Resolution(Access access, int depth, int index, Var var) {}

    /**
     * Resolves {@code name} from {@code scope}. Crossing a procedure boundary makes the variable
     * a free variable of that procedure (and, when the procedure's closure is made, of the ones
     * around it); a procedure's reference to the variable it is defined as is {@code SELF}.
     */
    private static Resolution resolve(String name, Scope scope) {
        int depth = 0;
        for (Scope s = scope; s != null; s = s.parent) {
            Var v = s.find(name);
            if (v != null) {
                return new Resolution(Access.LOCAL, depth, v.slot, v);
            }
            if (s.procedure) {
                Var outer = Scope.lookup(s.parent, name);
                if (outer == null) {
                    break;
                }
                if (outer.selfScope == s) {
                    return new Resolution(Access.SELF, depth, 0, outer);
                }
                outer.captured = true;
                return new Resolution(Access.FREE, depth, s.freeIndex(outer), outer);
            }
            depth++;
        }
        return new Resolution(Access.GLOBAL, -1, -1, null);
    }

    private <T extends Node & Boxable> T use(Var v, T node) {
        v.uses.add(node);
        return reg(node);
    }

    private Node reference(String name, Scope scope, SourcePos pos) {
        Resolution r = resolve(name, scope);
        switch (r.access()) {
            case LOCAL:
                return use(r.var(), new LocalRef(pos, r.depth(), r.index(), name, r.var().definition));
            case FREE:
                return use(r.var(), new FreeRef(pos, r.depth(), r.index(), name, r.var().definition));
            case SELF:
                return reg(new SelfRef(pos, r.depth()));
            default:
                return reg(new GlobalRef(pos, m.globals.slot(name), name));
        }
    }

    private Node assign(String name, Node value, Scope scope, SourcePos pos, Object form) {
        Resolution r = resolve(name, scope);
        switch (r.access()) {
            case LOCAL:
                r.var().assigned = true;
                return use(r.var(), new Assign(pos, Assign.Target.LOCAL, r.depth(), r.index(), name, false, value));
            case FREE:
                r.var().assigned = true;
                return use(r.var(), new Assign(pos, Assign.Target.FREE, r.depth(), r.index(), name, false, value));
            case SELF:
                // assignedNames holds every set! target, so a self-referring procedure is never assigned
                throw new IllegalStateException("set! of " + name + ", which was compiled as never assigned");
            default:
                return reg(new Assign(pos, Assign.Target.GLOBAL, -1, m.globals.slot(name), name, false, value));
        }
    }

    private Node define(Object x, List<Object> items, Scope scope, SourcePos pos) {
        check(x, pos, items.size() >= 2, "define needs a name");
        Object target = items.get(1);
        String name;
        Node value;
        Object nameDatum = target instanceof SPair sig ? sig.car : target;
        Var v = nameDatum instanceof Sym s && scope != null ? scope.find(s.name()) : null;
        if (scope != null) {
            check(x, pos, v != null, "definitions are allowed only at top level or in a body");
        }
        if (target instanceof SPair sig) {
            check(x, pos, sig.car instanceof Sym, "define: the procedure name must be a symbol");
            check(x, pos, items.size() >= 3, "define: a procedure needs a body");
            name = ((Sym) sig.car).name();
            value = reg(new LambdaNode(pos, lambda(sig.cdr, items.subList(2, items.size()), scope, name, x, pos,
                    true, selfCandidate(v))));
        } else {
            check(x, pos, target instanceof Sym, "define: expected a variable name");
            check(x, pos, items.size() <= 3, "define takes a name and one value");
            name = ((Sym) target).name();
            Object init = items.size() == 3 ? items.get(2) : null;
            if (init instanceof SPair lam && Datum.isSym(lam.car, "lambda") && !Scope.isLocal(scope, "lambda")) {
                List<Object> parts = Datum.toList(init);
                check(init, posOf(init, pos), parts != null && parts.size() >= 3, "lambda needs parameters and a body");
                value = reg(new LambdaNode(posOf(init, pos), lambda(parts.get(1), parts.subList(2, parts.size()), scope,
                        name, init, posOf(init, pos), true, selfCandidate(v))));
            } else {
                value = init != null ? compile(init, scope, name) : unspecified(pos);
            }
        }
        if (scope == null) {
            return reg(new Assign(pos, Assign.Target.GLOBAL, -1, m.globals.slot(name), name, true, value));
        }
        return use(v, new Assign(pos, Assign.Target.LOCAL, 0, v.slot, name, true, value));
    }

    /**
     * {@code v} if the procedure it is being defined as may refer to itself as the running
     * closure: an internal definition, made once in its body, of a name no {@code set!} assigns.
     */
    private Var selfCandidate(Var v) {
        return v != null && !v.redefined && !assignedNames.contains(v.name) ? v : null;
    }

    private Node sequence(List<Object> forms, Scope scope, SourcePos pos, SeqNode.Kind kind) {
        if (forms.size() == 1) {
            return compile(forms.get(0), scope, null);
        }
        Node[] parts = new Node[forms.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = compile(forms.get(i), scope, null);
        }
        return reg(new SeqNode(pos, parts, kind));
    }

    private boolean containsDefinition(List<Object> forms) {
        for (Object f : forms) {
            if (f instanceof SPair p && p.car instanceof Sym s
                    && (s.name().equals("define") || s.name().equals("define-record-type"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Compiles a lambda: parameters, then a body whose definitions become frame slots. A
     * {@code procedure} is made into closures; otherwise it is a block ({@code let},
     * {@code guard}), entered directly with the current frame as its link. {@code self}, if not
     * null, is the variable the procedure is being defined as (see {@link #selfCandidate}).
     */
    private Lambda lambda(Object params, List<Object> body, Scope outer, String name, Object form, SourcePos pos,
                          boolean procedure, Var self) {
        Scope scope = new Scope(outer, procedure);
        int required = 0;
        boolean rest = false;
        Object p = params;
        while (p instanceof SPair pair) {
            check(form, pos, pair.car instanceof Sym, "lambda: parameters must be symbols");
            String v = ((Sym) pair.car).name();
            check(form, pos, scope.find(v) == null, "lambda: duplicate parameter " + v);
            scope.add(v);
            required++;
            p = pair.cdr;
        }
        if (p != Datum.NIL) {
            check(form, pos, p instanceof Sym, "lambda: the rest parameter must be a symbol");
            check(form, pos, scope.find(((Sym) p).name()) == null, "lambda: duplicate parameter " + p);
            scope.add(((Sym) p).name());
            rest = true;
        }
        if (self != null && procedure) {
            self.selfScope = scope;
        }
        List<Object> forms = scanBody(body, scope, form, pos);
        Lambda l = new Lambda(name, required, rest, scope.vars.size(), Datum.write(params), owner, procedure);
        scope.lambda = l;
        Lambda outerOwner = owner;
        owner = l.owner;
        Node bodyNode;
        try {
            bodyNode = bodySequence(forms, scope, pos);
        } finally {
            owner = outerOwner;
        }
        l.finish(bodyNode, boxedSlots(scope), procedure ? captures(scope) : new Lambda.Capture[0]);
        m.register(l);
        return l;
    }

    /**
     * Decides, now that every use in the scope is compiled, which of its variables live in
     * boxes; tells their uses, and returns their slots (the frame makes the boxes).
     */
    private static int[] boxedSlots(Scope scope) {
        List<Integer> slots = new ArrayList<>();
        for (Var v : scope.vars) {
            if (v.boxed()) {
                for (Boxable use : v.uses) {
                    use.useBox();
                }
                slots.add(v.slot);
            }
        }
        return slots.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Where the closure of the procedure {@code scope} gets each free variable, resolved where
     * the closure is made (which may in turn make them free variables of enclosing procedures).
     */
    private static Lambda.Capture[] captures(Scope scope) {
        Lambda.Capture[] out = new Lambda.Capture[scope.free.size()];
        for (int i = 0; i < out.length; i++) {
            Var v = scope.free.get(i);
            Resolution r = resolve(v.name, scope.parent);
            if (r.var() != v) {
                throw new IllegalStateException("free variable " + v.name + " resolves to another binding");
            }
            Lambda.Capture.Kind kind = switch (r.access()) {
                case LOCAL -> Lambda.Capture.Kind.LOCAL;
                case FREE -> Lambda.Capture.Kind.FREE;
                case SELF -> Lambda.Capture.Kind.SELF;
                default -> throw new IllegalStateException("free variable " + v.name + " is global");
            };
            out[i] = new Lambda.Capture(kind, r.depth(), r.index());
        }
        return out;
    }

    /**
     * Splices {@code begin}s, expands {@code define-record-type}, and adds the names of the
     * body's definitions to {@code scope} (letrec* semantics; R7RS wants them first, we also
     * accept them after expressions, with the same meaning).
     */
    private List<Object> scanBody(List<Object> body, Scope scope, Object form, SourcePos pos) {
        List<Object> out = new ArrayList<>();
        List<Object> work = new ArrayList<>(body);
        for (int i = 0; i < work.size(); i++) {
            Object f = work.get(i);
            if (f instanceof SPair p && p.car instanceof Sym s && !Scope.isLocal(scope, s.name())) {
                if (s.name().equals("begin")) {
                    List<Object> inner = Datum.toList(f);
                    if (inner != null && containsDefinition(inner.subList(1, inner.size()))) {
                        work.addAll(i + 1, inner.subList(1, inner.size()));
                        continue;
                    }
                }
                if (s.name().equals("define-record-type")) {
                    List<Object> items = Datum.toList(f);
                    check(f, p.pos, items != null, "bad define-record-type");
                    Object expanded = expander.defineRecordType(f, items, p.pos);
                    List<Object> defs = Datum.toList(expanded);
                    work.addAll(i + 1, defs.subList(1, defs.size()));
                    continue;
                }
                if (s.name().equals("define")) {
                    List<Object> items = Datum.toList(f);
                    check(f, p.pos, items != null && items.size() >= 2, "define needs a name");
                    Object target = items.get(1);
                    Object nameDatum = target instanceof SPair sig ? sig.car : target;
                    check(f, p.pos, nameDatum instanceof Sym, "define: expected a variable name");
                    Var v = scope.add(((Sym) nameDatum).name());
                    v.redefined |= v.definition;
                    v.definition = true;
                    v.assigned = true;
                    out.add(f);
                    continue;
                }
            }
            out.add(f);
        }
        if (out.isEmpty() || onlyDefinitions(out)) {
            throw syntax(form, pos, "a body needs at least one expression after its definitions");
        }
        return out;
    }

    private static boolean onlyDefinitions(List<Object> forms) {
        Object last = forms.get(forms.size() - 1);
        return last instanceof SPair p && Datum.isSym(p.car, "define");
    }

    private Node bodySequence(List<Object> forms, Scope scope, SourcePos pos) {
        if (forms.size() == 1) {
            return compile(forms.get(0), scope, null);
        }
        Node[] parts = new Node[forms.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = compile(forms.get(i), scope, null);
        }
        return reg(new SeqNode(pos, parts, SeqNode.Kind.BEGIN));
    }

    /** {@code (let ((v init) ...) body ...)}: a direct call of a lambda, no closure made. */
    private Node let(Object x, List<Object> items, Scope scope, SourcePos pos) {
        check(x, pos, items.size() >= 3, "let needs bindings and a body");
        List<Object> bindings = Datum.toList(items.get(1));
        check(x, pos, bindings != null, "let: bindings must be a list");
        List<Object> names = new ArrayList<>();
        Node[] inits = new Node[bindings.size()];
        for (int i = 0; i < bindings.size(); i++) {
            List<Object> b = Datum.toList(bindings.get(i));
            check(x, pos, b != null && (b.size() == 2 || b.size() == 1) && b.get(0) instanceof Sym,
                    "let: each binding must be (variable init)");
            names.add(b.get(0));
            inits[i] = b.size() == 2 ? compile(b.get(1), scope, ((Sym) b.get(0)).name()) : unspecified(pos);
        }
        Lambda l = lambda(Datum.listWithTail(names, Datum.NIL), items.subList(2, items.size()), scope, null, x, pos,
                false, null);
        return reg(new CallNode(pos, l, inits));
    }

    /** {@code (guard (var clause ...) body ...)}. */
    private Node guard(Object x, List<Object> items, Scope scope, SourcePos pos) {
        check(x, pos, items.size() >= 3, "guard needs (variable clause ...) and a body");
        List<Object> spec = Datum.toList(items.get(1));
        check(x, pos, spec != null && !spec.isEmpty() && spec.get(0) instanceof Sym,
                "guard: expected (variable clause ...)");
        Sym var = (Sym) spec.get(0);
        List<Object> clauses = new ArrayList<>(spec.subList(1, spec.size()));
        boolean hasElse = !clauses.isEmpty() && clauses.get(clauses.size() - 1) instanceof SPair last
                && Datum.isSym(last.car, "else");
        if (!hasElse) {
            clauses.add(Datum.list(new Sym("else"), Datum.list(new Sym("raise-continuable"), var)));
        }
        Object cond = new SPair(new Sym("cond"), Datum.listWithTail(clauses, Datum.NIL), pos);
        Lambda handler = lambda(Datum.list(var), List.of(cond), scope, null, x, pos, false, null);
        Node body = reg(new CallNode(pos, lambda(Datum.NIL, items.subList(2, items.size()), scope, null, x, pos,
                false, null), new Node[0]));
        return reg(new GuardNode(pos, body, handler));
    }
}
