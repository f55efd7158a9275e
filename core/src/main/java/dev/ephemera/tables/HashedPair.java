package dev.ephemera.tables;

/** The two hashed types of a K2 table ({@code K2.MakeSeeded (H1) (H2)}), stored in its box. */
record HashedPair(SeededHashedType first, SeededHashedType second) {}
