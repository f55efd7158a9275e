package dev.ephemera.scheme.machine;

/**
 * The code of a {@code lambda}: how many parameters, whether there is a rest parameter, how
 * many slots its environment frame has (parameters, rest, internal definitions), and its body.
 * A closure names it by {@link #id()}.
 */
public final class Lambda {
    public final String name;
    public final int required;
    public final boolean rest;
    public final int frameSize;
    public final String paramText;
    Node body;
    int id = -1;

    public Lambda(String name, int required, boolean rest, int frameSize, String paramText) {
        this.name = name;
        this.required = required;
        this.rest = rest;
        this.frameSize = frameSize;
        this.paramText = paramText;
    }

    public void setBody(Node body) {
        this.body = body;
    }

    public int id() {
        return id;
    }

    /** "1", "at least 2": the arity in words, for error messages. */
    public String arityText() {
        return rest ? "at least " + required : Integer.toString(required);
    }

    /** How the procedure is named in messages: {@code f} or {@code (lambda (x y) ...)}. */
    public String displayName() {
        return name != null ? name : "(lambda " + paramText + " ...)";
    }
}
