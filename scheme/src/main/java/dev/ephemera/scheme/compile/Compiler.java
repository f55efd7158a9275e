package dev.ephemera.scheme.compile;

import dev.ephemera.scheme.SchemeError;
import dev.ephemera.scheme.machine.Assign;
import dev.ephemera.scheme.machine.CallNode;
import dev.ephemera.scheme.machine.ConstNode;
import dev.ephemera.scheme.machine.GlobalRef;
import dev.ephemera.scheme.machine.GuardNode;
import dev.ephemera.scheme.machine.IfNode;
import dev.ephemera.scheme.machine.Lambda;
import dev.ephemera.scheme.machine.LambdaNode;
import dev.ephemera.scheme.machine.LocalRef;
import dev.ephemera.scheme.machine.Machine;
import dev.ephemera.scheme.machine.Node;
import dev.ephemera.scheme.machine.SeqNode;
import dev.ephemera.scheme.read.Datum;
import dev.ephemera.scheme.read.SPair;
import dev.ephemera.scheme.read.SourcePos;
import dev.ephemera.scheme.read.Sym;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles source data to {@link Node}s. The core forms are {@code quote}, {@code lambda},
 * {@code define}, {@code set!}, {@code if}, {@code begin}, {@code let} (a direct lambda call),
 * {@code and}, {@code or} and {@code guard}; the other special forms are rewritten into these
 * by {@link Expander} first. Variables are resolved at compile time: locals to a lexical
 * address, everything else to a global slot.
 */
public final class Compiler {
    private final Machine m;
    private final Quoter quoter;
    private final Expander expander = new Expander();

    public Compiler(Machine m) {
        this.m = m;
        this.quoter = new Quoter(m.h);
    }

    /** Compiles a top-level form. */
    public Node compileTopLevel(Object form) {
        return compile(form, null, null);
    }

    static SchemeError syntax(Object form, SourcePos pos, String message) {
        String where = pos != null ? pos + ": " : "";
        return new SchemeError("syntax-error", where + "syntax error: " + message + ": " + Datum.write(form));
    }

    private static SourcePos posOf(Object form, SourcePos fallback) {
        return form instanceof SPair p && p.pos != null ? p.pos : fallback;
    }

    private <T extends Node> T reg(T n) {
        m.register(n);
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
            return reference(s.name(), scope, null);
        }
        if (!(x instanceof SPair p)) {
            if (x == Datum.NIL) {
                throw syntax(x, null, "empty combination () is not an expression (quote it: '())");
            }
            return constant(null, quoter.toHeap(x));
        }
        SourcePos pos = p.pos;
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
                    return reg(new LambdaNode(pos, lambda(items.get(1), items.subList(2, items.size()), scope, nameHint, x, pos)));
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

    private Node reference(String name, Scope scope, SourcePos pos) {
        int depth = 0;
        for (Scope s = scope; s != null; s = s.parent, depth++) {
            int i = s.vars.lastIndexOf(name);
            if (i >= 0) {
                return reg(new LocalRef(pos, depth, i, name, s.checked.contains(name)));
            }
        }
        return reg(new GlobalRef(pos, m.globals.slot(name), name));
    }

    private Node assign(String name, Node value, Scope scope, SourcePos pos, Object form) {
        int depth = 0;
        for (Scope s = scope; s != null; s = s.parent, depth++) {
            int i = s.vars.lastIndexOf(name);
            if (i >= 0) {
                return reg(new Assign(pos, depth, i, name, false, value));
            }
        }
        return reg(new Assign(pos, -1, m.globals.slot(name), name, false, value));
    }

    private Node define(Object x, List<Object> items, Scope scope, SourcePos pos) {
        check(x, pos, items.size() >= 2, "define needs a name");
        Object target = items.get(1);
        String name;
        Node value;
        if (target instanceof SPair sig) {
            check(x, pos, sig.car instanceof Sym, "define: the procedure name must be a symbol");
            check(x, pos, items.size() >= 3, "define: a procedure needs a body");
            name = ((Sym) sig.car).name();
            value = reg(new LambdaNode(pos, lambda(sig.cdr, items.subList(2, items.size()), scope, name, x, pos)));
        } else {
            check(x, pos, target instanceof Sym, "define: expected a variable name");
            check(x, pos, items.size() <= 3, "define takes a name and one value");
            name = ((Sym) target).name();
            value = items.size() == 3 ? compile(items.get(2), scope, name) : unspecified(pos);
        }
        if (scope == null) {
            return reg(new Assign(pos, -1, m.globals.slot(name), name, true, value));
        }
        int i = scope.vars.lastIndexOf(name);
        check(x, pos, i >= 0, "definitions are allowed only at top level or in a body");
        return reg(new Assign(pos, 0, i, name, true, value));
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

    /** Compiles a lambda: parameters, then a body whose leading definitions become frame slots. */
    private Lambda lambda(Object params, List<Object> body, Scope outer, String name, Object form, SourcePos pos) {
        Scope scope = new Scope(outer);
        int required = 0;
        boolean rest = false;
        Object p = params;
        while (p instanceof SPair pair) {
            check(form, pos, pair.car instanceof Sym, "lambda: parameters must be symbols");
            String v = ((Sym) pair.car).name();
            check(form, pos, !scope.vars.contains(v), "lambda: duplicate parameter " + v);
            scope.add(v);
            required++;
            p = pair.cdr;
        }
        if (p != Datum.NIL) {
            check(form, pos, p instanceof Sym, "lambda: the rest parameter must be a symbol");
            scope.add(((Sym) p).name());
            rest = true;
        }
        List<Object> forms = scanBody(body, scope, form, pos);
        Node bodyNode = bodySequence(forms, scope, pos);
        Lambda l = new Lambda(name, required, rest, scope.vars.size(), Datum.write(params));
        l.setBody(bodyNode);
        m.register(l);
        return l;
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
                    String name = ((Sym) nameDatum).name();
                    scope.add(name);
                    scope.checked.add(name);
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
        Lambda l = lambda(Datum.listWithTail(names, Datum.NIL), items.subList(2, items.size()), scope, null, x, pos);
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
        Lambda handler = lambda(Datum.list(var), List.of(cond), scope, null, x, pos);
        Node body = reg(new CallNode(pos, lambda(Datum.NIL, items.subList(2, items.size()), scope, null, x, pos), new Node[0]));
        return reg(new GuardNode(pos, body, handler));
    }
}
