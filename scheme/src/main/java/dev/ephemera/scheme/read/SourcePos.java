package dev.ephemera.scheme.read;

/** A position in a source: file name (or {@code <repl>}), line and column, both from 1. */
public record SourcePos(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
