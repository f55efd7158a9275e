package dev.ephemera.tables.layout;

import dev.ephemera.object.Value;
import dev.ephemera.object.layout.StructureMarks;

/**
 * Layout of an ephemeron bucket ({@code Bucket}, OCaml's {@code Ephemeron.K1.Bucket.t}, an
 * {@code ephemeron list ref}): a block holding a mark and the list, the list a chain of cells
 * each holding an ephemeron, most recent first, ending in {@link Value#NONE}.
 *
 * <pre>
 *  bucket (tag 0, 2 fields)        cell (tag 0, 2 fields)
 *  +------+------+                 +-----------+------+
 *  | MARK | LIST | --------------> | EPHEMERON | NEXT | ---> next cell or NONE
 *  +------+------+                 +-----------+------+
 * </pre>
 * MARK is an immediate ("EBuck") that tells a bucket from any other block of tag 0.
 */
public final class BucketLayout {
    /** The immediate "EBuck". */
    public static final int MARK_FIELD = 0;
    /** The first cell of the list, or NONE. */
    public static final int LIST_FIELD = 1;
    /** Fields of a bucket. */
    public static final int SIZE_WORDS = 2;
    /** Tag of a bucket. */
    public static final int TAG = 0;
    /** The immediate in field 0 that identifies a bucket: "EBuck". */
    public static final long MARK = StructureMarks.BUCKET;

    /** A cell's ephemeron. */
    public static final int CELL_EPHEMERON_FIELD = 0;
    /** The next cell, or NONE. */
    public static final int CELL_NEXT_FIELD = 1;
    /** Fields of a cell. */
    public static final int CELL_SIZE_WORDS = 2;
    /** Tag of a cell. */
    public static final int CELL_TAG = 0;

    private BucketLayout() {}
}
