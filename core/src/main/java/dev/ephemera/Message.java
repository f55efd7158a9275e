package dev.ephemera;

import dev.ephemera.object.Value;

/**
 * A message from the collector (MPS's {@code mps_message_t}). Retrieve with
 * {@link Messages#get}, discard with {@link Messages#discard} when done.
 */
public abstract class Message {
    /** The three message types (MPS {@code mps_message_type_finalization/gc_start/gc}). */
    public enum Type {
        /** A registered block became unreachable ({@code mps_message_type_finalization}). */
        FINALIZATION,
        /** A collection started ({@code mps_message_type_gc_start}). */
        GC_START,
        /** A collection ended ({@code mps_message_type_gc}). */
        GC
    }

    private final Type type;
    private final long clock;

    Message(Type type, long clock) {
        this.type = type;
        this.clock = clock;
    }

    /**
     * {@code mps_message_type}.
     *
     * @return the message's type
     */
    public Type type() {
        return type;
    }

    /**
     * {@return {@code mps_message_clock}: posting time (nanoTime) for GC messages, 0 for
     * finalization}
     */
    public long clock() {
        return clock;
    }

    /**
     * A block registered with {@link Messages#finalize} became finalizable. Until discarded the
     * message keeps the block alive (and follows it if it moves).
     */
    public static final class Finalization extends Message {
        final GlobalRoot root;
        final long sequence;
        private boolean discarded;

        Finalization(GlobalRoot root, long sequence) {
            super(Type.FINALIZATION, 0);
            this.root = root;
            this.sequence = sequence;
        }

        /** {@return {@code mps_message_finalization_ref}: the block's current address} */
        public long ref() {
            if (discarded) {
                throw new IllegalStateException("Message.Finalization.ref: the message was discarded");
            }
            return root.get("Message.Finalization.ref");
        }

        void discard() {
            if (!discarded) {
                discarded = true;
                root.close();
            }
        }
    }

    /** A collection started ({@code mps_message_type_gc_start}). */
    public static final class GcStart extends Message {
        private final String why;

        GcStart(long clock, String why) {
            super(Type.GC_START, clock);
            this.why = why;
        }

        /** {@return {@code mps_message_gc_start_why}: why the collection started} */
        public String why() {
            return why;
        }
    }

    /** A collection ended ({@code mps_message_type_gc}); sizes in bytes, as in MPS. */
    public static final class Gc extends Message {
        private final long liveBytes;
        private final long condemnedBytes;
        private final long notCondemnedBytes;

        Gc(long clock, long liveBytes, long condemnedBytes, long notCondemnedBytes) {
            super(Type.GC, clock);
            this.liveBytes = liveBytes;
            this.condemnedBytes = condemnedBytes;
            this.notCondemnedBytes = notCondemnedBytes;
        }

        /** {@return {@code mps_message_gc_live_size}: bytes of the condemned set that survived} */
        public long liveSize() {
            return liveBytes;
        }

        /**
         * {@code mps_message_gc_condemned_size}.
         *
         * @return bytes in the condemned set before the collection
         */
        public long condemnedSize() {
            return condemnedBytes;
        }

        /**
         * {@return {@code mps_message_gc_not_condemned_size}: bytes of the heap outside the
         * condemned set}
         */
        public long notCondemnedSize() {
            return notCondemnedBytes;
        }
    }
}
