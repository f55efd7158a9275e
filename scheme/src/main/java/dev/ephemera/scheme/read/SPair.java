package dev.ephemera.scheme.read;

/** A pair in source code, with the position of its opening parenthesis (see {@link Datum}). */
public final class SPair {
    public final Object car;
    public Object cdr;
    public final SourcePos pos;

    public SPair(Object car, Object cdr, SourcePos pos) {
        this.car = car;
        this.cdr = cdr;
        this.pos = pos;
    }

    @Override
    public String toString() {
        return Datum.write(this);
    }
}
