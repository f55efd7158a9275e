package dev.ephemera.scheme.read;

/** A symbol in source code, as the reader returns it (a Java value; see {@link Datum}). */
public record Sym(String name) {
    @Override
    public String toString() {
        return name;
    }
}
