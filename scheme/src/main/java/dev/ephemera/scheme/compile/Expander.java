package dev.ephemera.scheme.compile;

import dev.ephemera.scheme.read.Datum;
import dev.ephemera.scheme.read.SPair;
import dev.ephemera.scheme.read.SourcePos;
import dev.ephemera.scheme.read.Sym;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites the derived special forms into core forms, datum to datum: {@code let*},
 * {@code letrec}, {@code letrec*}, named {@code let}, {@code do}, {@code cond}, {@code case},
 * {@code when}, {@code unless}, {@code quasiquote}, {@code define-record-type}. Temporaries are
 * symbols whose names the reader cannot produce (they start with a space), so they never
 * capture a user's variable. Helper procedures are referred to by {@code %}-names bound at
 * startup, so a program that redefines {@code cons} or {@code memv} does not break them.
 */
final class Expander {
    private int counter;

    private Sym temp(String hint) {
        return new Sym(" " + hint + (++counter));
    }

    private static Sym sym(String name) {
        return new Sym(name);
    }

    private static Object begin(List<Object> body) {
        return new SPair(sym("begin"), Datum.listWithTail(body, Datum.NIL), null);
    }

    /** The expansion of a derived form, or null if {@code head} does not name one. */
    Object expand(String head, Object x, List<Object> items, SourcePos pos) {
        switch (head) {
            case "let*": return letStar(x, items, pos);
            case "letrec":
            case "letrec*": return letrec(x, items, pos);
            case "cond": return cond(x, items.subList(1, items.size()), pos);
            case "case": return caseForm(x, items, pos);
            case "when":
            case "unless": return whenUnless(head.equals("when"), x, items, pos);
            case "do": return doForm(x, items, pos);
            case "quasiquote":
                check(x, pos, items.size() == 2, "quasiquote takes one template");
                return quasi(items.get(1), 1, x, pos);
            case "unquote":
            case "unquote-splicing":
                throw Compiler.syntax(x, pos, head + " outside quasiquote");
            default: return null;
        }
    }

    private static void check(Object form, SourcePos pos, boolean ok, String message) {
        if (!ok) {
            throw Compiler.syntax(form, pos, message);
        }
    }

    private List<Object> bindings(Object x, Object spec, SourcePos pos, String form) {
        List<Object> bindings = Datum.toList(spec);
        check(x, pos, bindings != null, form + ": bindings must be a list");
        for (Object b : bindings) {
            List<Object> parts = Datum.toList(b);
            check(x, pos, parts != null && (parts.size() == 2 || parts.size() == 1) && parts.get(0) instanceof Sym,
                    form + ": each binding must be (variable init)");
        }
        return bindings;
    }

    private Object letStar(Object x, List<Object> items, SourcePos pos) {
        check(x, pos, items.size() >= 3, "let* needs bindings and a body");
        List<Object> bindings = bindings(x, items.get(1), pos, "let*");
        List<Object> body = items.subList(2, items.size());
        if (bindings.size() <= 1) {
            return new SPair(sym("let"), new SPair(items.get(1), Datum.listWithTail(body, Datum.NIL), pos), pos);
        }
        Object inner = new SPair(sym("let*"),
                new SPair(Datum.listWithTail(bindings.subList(1, bindings.size()), Datum.NIL),
                        Datum.listWithTail(body, Datum.NIL), pos), pos);
        return Datum.list(sym("let"), Datum.list(bindings.get(0)), inner);
    }

    /** {@code (letrec ((v init) ...) body ...)} = {@code (let () (define v init) ... (let () body ...))}. */
    private Object letrec(Object x, List<Object> items, SourcePos pos) {
        check(x, pos, items.size() >= 3, "letrec needs bindings and a body");
        List<Object> bindings = bindings(x, items.get(1), pos, "letrec");
        List<Object> forms = new ArrayList<>();
        forms.add(sym("let"));
        forms.add(Datum.NIL);
        for (Object b : bindings) {
            forms.add(new SPair(sym("define"), b, pos));
        }
        List<Object> inner = new ArrayList<>();
        inner.add(sym("let"));
        inner.add(Datum.NIL);
        inner.addAll(items.subList(2, items.size()));
        forms.add(Datum.listWithTail(inner, Datum.NIL));
        return new SPair(forms.get(0), Datum.listWithTail(forms.subList(1, forms.size()), Datum.NIL), pos);
    }

    /** {@code (let name ((v init) ...) body ...)} = {@code ((letrec ((name (lambda (v ...) body ...))) name) init ...)}. */
    Object namedLet(Object x, List<Object> items, SourcePos pos) {
        check(x, pos, items.size() >= 4, "named let needs a name, bindings and a body");
        Sym name = (Sym) items.get(1);
        List<Object> bindings = bindings(x, items.get(2), pos, "let");
        List<Object> vars = new ArrayList<>();
        List<Object> inits = new ArrayList<>();
        for (Object b : bindings) {
            List<Object> parts = Datum.toList(b);
            vars.add(parts.get(0));
            inits.add(parts.size() == 2 ? parts.get(1) : Datum.list(sym("quote"), Boolean.FALSE));
        }
        Object lambda = new SPair(sym("lambda"), new SPair(Datum.listWithTail(vars, Datum.NIL),
                Datum.listWithTail(items.subList(3, items.size()), Datum.NIL), pos), pos);
        Object letrec = Datum.list(sym("letrec"), Datum.list(Datum.list(name, lambda)), name);
        return new SPair(letrec, Datum.listWithTail(inits, Datum.NIL), pos);
    }

    private Object cond(Object x, List<Object> clauses, SourcePos pos) {
        if (clauses.isEmpty()) {
            return Datum.list(sym("if"), Boolean.FALSE, Boolean.FALSE);
        }
        List<Object> clause = Datum.toList(clauses.get(0));
        check(x, pos, clause != null && !clause.isEmpty(), "cond: each clause must be a non-empty list");
        List<Object> rest = clauses.subList(1, clauses.size());
        Object test = clause.get(0);
        if (Datum.isSym(test, "else")) {
            check(x, pos, rest.isEmpty(), "cond: else must be the last clause");
            check(x, pos, clause.size() >= 2, "cond: else needs an expression");
            if (clause.size() == 3 && Datum.isSym(clause.get(1), "=>")) {
                return Datum.list(clause.get(2), Boolean.TRUE);
            }
            return begin(clause.subList(1, clause.size()));
        }
        Object otherwise = rest.isEmpty() ? null : cond(x, rest, pos);
        if (clause.size() == 1) {
            return otherwise == null ? Datum.list(sym("or"), test) : Datum.list(sym("or"), test, otherwise);
        }
        if (Datum.isSym(clause.get(1), "=>")) {
            check(x, pos, clause.size() == 3, "cond: => needs exactly one receiver");
            Sym t = temp("t");
            Object call = Datum.list(clause.get(2), t);
            Object ifForm = otherwise == null ? Datum.list(sym("if"), t, call) : Datum.list(sym("if"), t, call, otherwise);
            return Datum.list(sym("let"), Datum.list(Datum.list(t, test)), ifForm);
        }
        Object then = begin(clause.subList(1, clause.size()));
        return otherwise == null ? Datum.list(sym("if"), test, then) : Datum.list(sym("if"), test, then, otherwise);
    }

    private Object caseForm(Object x, List<Object> items, SourcePos pos) {
        check(x, pos, items.size() >= 2, "case needs a key");
        Sym t = temp("key");
        List<Object> clauses = new ArrayList<>();
        for (Object c : items.subList(2, items.size())) {
            List<Object> clause = Datum.toList(c);
            check(x, pos, clause != null && clause.size() >= 2, "case: each clause must be ((datum ...) expression ...)");
            Object test;
            if (Datum.isSym(clause.get(0), "else")) {
                test = sym("else");
            } else {
                check(x, pos, Datum.toList(clause.get(0)) != null, "case: clause data must be a list");
                test = Datum.list(sym("%memv"), t, Datum.list(sym("quote"), clause.get(0)));
            }
            List<Object> body;
            if (Datum.isSym(clause.get(1), "=>")) {
                check(x, pos, clause.size() == 3, "case: => needs exactly one receiver");
                body = List.of(Datum.list(clause.get(2), t));
            } else {
                body = clause.subList(1, clause.size());
            }
            List<Object> newClause = new ArrayList<>();
            newClause.add(test);
            newClause.addAll(body);
            clauses.add(Datum.listWithTail(newClause, Datum.NIL));
        }
        Object cond = new SPair(sym("cond"), Datum.listWithTail(clauses, Datum.NIL), pos);
        return Datum.list(sym("let"), Datum.list(Datum.list(t, items.get(1))), cond);
    }

    private Object whenUnless(boolean when, Object x, List<Object> items, SourcePos pos) {
        check(x, pos, items.size() >= 3, (when ? "when" : "unless") + " needs a test and a body");
        Object body = begin(items.subList(2, items.size()));
        Object unspecified = Datum.list(sym("if"), Boolean.FALSE, Boolean.FALSE);
        return when ? Datum.list(sym("if"), items.get(1), body, unspecified)
                : Datum.list(sym("if"), items.get(1), unspecified, body);
    }

    /** {@code (do ((var init step) ...) (test result ...) body ...)} as a named let. */
    private Object doForm(Object x, List<Object> items, SourcePos pos) {
        check(x, pos, items.size() >= 3, "do needs variable specs and a test clause");
        List<Object> specs = Datum.toList(items.get(1));
        check(x, pos, specs != null, "do: variable specs must be a list");
        List<Object> end = Datum.toList(items.get(2));
        check(x, pos, end != null && !end.isEmpty(), "do: expected (test result ...)");
        Sym loop = temp("do");
        List<Object> bindings = new ArrayList<>();
        List<Object> steps = new ArrayList<>();
        for (Object s : specs) {
            List<Object> spec = Datum.toList(s);
            check(x, pos, spec != null && (spec.size() == 2 || spec.size() == 3) && spec.get(0) instanceof Sym,
                    "do: each variable spec must be (variable init [step])");
            bindings.add(Datum.list(spec.get(0), spec.get(1)));
            steps.add(spec.size() == 3 ? spec.get(2) : spec.get(0));
        }
        List<Object> body = new ArrayList<>(items.subList(3, items.size()));
        body.add(new SPair(loop, Datum.listWithTail(steps, Datum.NIL), pos));
        Object result = end.size() == 1 ? Datum.list(sym("if"), Boolean.FALSE, Boolean.FALSE)
                : begin(end.subList(1, end.size()));
        Object ifForm = Datum.list(sym("if"), end.get(0), result, begin(body));
        return Datum.list(sym("let"), loop, Datum.listWithTail(bindings, Datum.NIL), ifForm);
    }

    /** Quasiquote at nesting {@code depth}, R7RS 4.2.8. */
    private Object quasi(Object t, int depth, Object form, SourcePos pos) {
        if (t instanceof SPair p) {
            if (Datum.isSym(p.car, "unquote")) {
                List<Object> u = Datum.toList(t);
                check(form, pos, u != null && u.size() == 2, "unquote takes one expression");
                if (depth == 1) {
                    return u.get(1);
                }
                return Datum.list(sym("%list"), quote(sym("unquote")), quasi(u.get(1), depth - 1, form, pos));
            }
            if (Datum.isSym(p.car, "quasiquote")) {
                List<Object> u = Datum.toList(t);
                check(form, pos, u != null && u.size() == 2, "quasiquote takes one template");
                return Datum.list(sym("%list"), quote(sym("quasiquote")), quasi(u.get(1), depth + 1, form, pos));
            }
            if (p.car instanceof SPair inner && Datum.isSym(inner.car, "unquote-splicing")) {
                List<Object> u = Datum.toList(inner);
                check(form, pos, u != null && u.size() == 2, "unquote-splicing takes one expression");
                Object rest = quasi(p.cdr, depth, form, pos);
                if (depth == 1) {
                    return Datum.list(sym("%append"), u.get(1), rest);
                }
                Object spliced = Datum.list(sym("%list"), quote(sym("unquote-splicing")), quasi(u.get(1), depth - 1, form, pos));
                return Datum.list(sym("%cons"), spliced, rest);
            }
            return Datum.list(sym("%cons"), quasi(p.car, depth, form, pos), quasi(p.cdr, depth, form, pos));
        }
        if (t instanceof Datum.SVector v) {
            Object list = quasi(Datum.listWithTail(v.items(), Datum.NIL), depth, form, pos);
            return Datum.list(sym("%list->vector"), list);
        }
        if (t instanceof Sym || t == Datum.NIL) {
            return quote(t);
        }
        return t;
    }

    private static Object quote(Object d) {
        return Datum.list(sym("quote"), d);
    }

    /**
     * {@code (define-record-type <name> (ctor field ...) pred (field accessor [modifier]) ...)} as
     * a {@code begin} of definitions over the record primitives.
     */
    Object defineRecordType(Object x, List<Object> items, SourcePos pos) {
        check(x, pos, items.size() >= 4, "define-record-type needs a type name, a constructor and a predicate");
        check(x, pos, items.get(1) instanceof Sym, "define-record-type: the type name must be a symbol");
        Sym type = (Sym) items.get(1);
        List<Object> fieldNames = new ArrayList<>();
        List<List<Object>> fieldSpecs = new ArrayList<>();
        for (Object f : items.subList(4, items.size())) {
            List<Object> spec = Datum.toList(f);
            if (f instanceof Sym) {
                spec = List.of(f);
            }
            check(x, pos, spec != null && !spec.isEmpty() && spec.size() <= 3 && spec.get(0) instanceof Sym,
                    "define-record-type: each field must be (name [accessor [modifier]])");
            fieldNames.add(spec.get(0));
            fieldSpecs.add(spec);
        }
        String typeName = type.name();
        if (typeName.startsWith("<") && typeName.endsWith(">") && typeName.length() > 2) {
            typeName = typeName.substring(1, typeName.length() - 1);
        }
        List<Object> defs = new ArrayList<>();
        defs.add(sym("begin"));
        defs.add(Datum.list(sym("define"), type, Datum.list(sym("%make-record-type"),
                quote(sym(typeName)), new Datum.SVector(fieldNames))));
        Object ctor = items.get(2);
        if (ctor instanceof SPair || ctor instanceof Sym) {
            Sym ctorName;
            List<Object> ctorFields;
            if (ctor instanceof Sym s) {
                ctorName = s;
                ctorFields = fieldNames;
            } else {
                List<Object> c = Datum.toList(ctor);
                check(x, pos, c != null && !c.isEmpty() && c.get(0) instanceof Sym,
                        "define-record-type: bad constructor spec");
                ctorName = (Sym) c.get(0);
                ctorFields = c.subList(1, c.size());
            }
            List<Object> indices = new ArrayList<>();
            for (Object cf : ctorFields) {
                int i = fieldNames.indexOf(cf);
                check(x, pos, i >= 0, "define-record-type: constructor field " + cf + " is not a field");
                indices.add((long) i);
            }
            defs.add(Datum.list(sym("define"), ctorName, Datum.list(sym("%record-constructor"), type,
                    new Datum.SVector(indices), quote(ctorName))));
        }
        if (items.get(3) instanceof Sym pred) {
            defs.add(Datum.list(sym("define"), pred, Datum.list(sym("%record-predicate"), type, quote(pred))));
        }
        for (int i = 0; i < fieldSpecs.size(); i++) {
            List<Object> spec = fieldSpecs.get(i);
            if (spec.size() >= 2) {
                check(x, pos, spec.get(1) instanceof Sym, "define-record-type: accessor must be a symbol");
                defs.add(Datum.list(sym("define"), spec.get(1), Datum.list(sym("%record-accessor"), type,
                        (long) i, quote(spec.get(1)))));
            }
            if (spec.size() == 3) {
                check(x, pos, spec.get(2) instanceof Sym, "define-record-type: modifier must be a symbol");
                defs.add(Datum.list(sym("define"), spec.get(2), Datum.list(sym("%record-modifier"), type,
                        (long) i, quote(spec.get(2)))));
            }
        }
        return Datum.listWithTail(defs, Datum.NIL);
    }
}
