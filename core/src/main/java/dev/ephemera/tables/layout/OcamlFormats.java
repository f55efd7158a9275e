package dev.ephemera.tables.layout;

/**
 * The fields of OCaml's own block formats that the structural hash and equality read
 * ({@code runtime/caml/mlvalues.h}): a client that mirrors OCaml values in the heap lays out
 * objects and forwards as OCaml does, and {@code Hashtbl.hash} and {@code compare} treat them as
 * OCaml does.
 *
 * <pre>
 *  Object_tag (248)    | methods | OID | instance variables ...     OID: an immediate, the object's id
 *  Forward_tag (250)   | VALUE |                                    the forced lazy's value
 * </pre>
 */
public final class OcamlFormats {
    /** {@code Oid_val}: the object id of an {@code Object_tag} block, an immediate. */
    public static final int OBJECT_ID_FIELD = 1;
    /** {@code Forward_val}: the value a {@code Forward_tag} block stands for. */
    public static final int FORWARD_VALUE_FIELD = 0;
    /** Where the size starts in an OCaml header: {@code wosize << 10 | colour << 8 | tag}. */
    public static final int HEADER_SIZE_SHIFT = 10;

    /** {@code Cleanhd_hd}: the OCaml header of a block of {@code sizeWords} and {@code tag}, colour cleared. */
    public static int cleanHeader(int sizeWords, int tag) {
        return (int) (((long) sizeWords << HEADER_SIZE_SHIFT) | tag);
    }

    private OcamlFormats() {}
}
