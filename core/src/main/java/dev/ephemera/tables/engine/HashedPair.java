package dev.ephemera.tables.engine;

import dev.ephemera.tables.SeededHashedType;

/**
 * The two hashed types of a K2 table ({@code K2.MakeSeeded (H1) (H2)}), stored in its box.
 *
 * @param first the hashed type of the first key
 * @param second the hashed type of the second key
 */
public record HashedPair(SeededHashedType first, SeededHashedType second) {}
