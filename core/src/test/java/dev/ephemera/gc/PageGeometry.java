package dev.ephemera.gc;

/** The mark-sweep space's page geometry, for tests that must fill whole pages of one size class. */
public final class PageGeometry {
    private PageGeometry() {}

    /** Words per page. */
    public static final int PAGE_WORDS = SizeClasses.PAGE_WORDS;

    /** How many blocks of {@code sizeWords} fields fill one page (0 if they are large objects). */
    public static int cellsPerPage(int sizeWords) {
        return SizeClasses.isSmall(sizeWords) ? SizeClasses.CELLS_PER_PAGE[SizeClasses.classOf(sizeWords)] : 0;
    }
}
