package dev.ephemera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ephemera.event.GcEvent;
import dev.ephemera.event.Phase;
import dev.ephemera.object.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The JFR events and the System.Logger GC log: what a recording and a log handler see. */
/*
 * On the test's own thread, not the default timeout's separate one: with the heap used from
 * JUnit's timeout thread, the recorded collection events came back with their reason (a String
 * field) null while every other field was right. Not understood yet; the timeout still applies.
 */
@Timeout(value = 180, unit = java.util.concurrent.TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SAME_THREAD)
class JfrEventsTest {
    @TempDir
    Path dir;

    /** Collections of the heap named {@code name}: allocates, then a minor and a full major. */
    private static List<GcEvent> collect(String name) {
        List<GcEvent> seen = new ArrayList<>();
        try (Heap heap = Heap.create(HeapConfig.defaults().name(name).minorHeapWords(4096));
             Scope s = heap.openScope()) {
            heap.gc().addListener(new GcListener() {
                @Override
                public void collected(GcEvent event) {
                    seen.add(event);
                }

                @Override
                public void slice(GcEvent event) {
                    seen.add(event);
                }
            });
            Handle keep = s.handle(heap.allocArray(100, Value.NONE));
            for (int i = 0; i < 100; i++) {
                heap.setField(keep.get(), i, heap.alloc(0, Value.ofInt(i), Value.NONE));
                heap.alloc(0, Value.ofInt(i), Value.NONE); // garbage
            }
            heap.gc().minor();
            keep.set(Value.NONE);
            heap.gc().fullMajor();
        }
        return seen;
    }

    private List<RecordedEvent> record(String name, List<GcEvent> seen) throws Exception {
        Path file = dir.resolve(name + ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable(JfrEvents.COLLECTION);
            recording.enable(JfrEvents.PHASE);
            recording.start();
            seen.addAll(collect(name));
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> mine = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.hasField("heap") && name.equals(e.getString("heap"))) {
                mine.add(e);
            }
        }
        return mine;
    }

    @Test
    void everyCollectionIsRecordedWithItsKindReasonPauseAndSizes() throws Exception {
        List<GcEvent> seen = new ArrayList<>();
        List<RecordedEvent> events = record("jfr-collections", seen);
        List<RecordedEvent> collections = events.stream()
                .filter(e -> e.getEventType().getName().equals(JfrEvents.COLLECTION)).toList();

        assertThat(seen).extracting(e -> e.kind).contains(GcEvent.Kind.MINOR, GcEvent.Kind.MAJOR_SLICE, GcEvent.Kind.MAJOR);
        assertThat(collections).hasSameSizeAs(seen);
        for (GcEvent g : seen) {
            // a cycle's event begins before its slices' and ends after them: match by kind and number
            RecordedEvent r = collections.stream()
                    .filter(e -> e.getString("kind").equals(g.kind.name()) && e.getLong("number") == g.number)
                    .findFirst().orElseThrow();
            assertThat(r.getString("kind")).isEqualTo(g.kind.name());
            assertThat(r.getLong("number")).isEqualTo(g.number);
            assertThat(r.getString("reason")).isEqualTo(g.reason);
            assertThat(r.getDuration("pause").toNanos()).isEqualTo(g.pauseNanos);
            assertThat(r.getLong("wordsBefore")).isEqualTo(g.condemnedWords);
            assertThat(r.getLong("wordsAfter")).isEqualTo(g.survivedWords);
            assertThat(r.getLong("wordsPromoted")).isEqualTo(g.kind == GcEvent.Kind.MINOR ? g.survivedWords : 0);
            assertThat(r.getLong("heapWordsBefore")).isEqualTo(g.heapWordsBefore);
            assertThat(r.getLong("heapWordsAfter")).isEqualTo(g.heapWordsAfter);
            assertThat(r.getLong("liveWordsAfter")).isEqualTo(g.liveWordsAfter);
            assertThat(r.getLong("heapBytesAfter")).isEqualTo(g.heapWordsAfter * 8);
        }
        RecordedEvent minor = collections.stream().filter(e -> e.getString("kind").equals("MINOR")).findFirst().orElseThrow();
        assertThat(minor.getString("kind")).isEqualTo("MINOR");
        assertThat(minor.getString("reason")).isEqualTo("explicit minor request");
        assertThat(minor.getLong("wordsPromoted")).as("the 100 kept pairs and their array").isPositive();
    }

    /**
     * An incremental cycle's event spans the cycle: it begins when the cycle starts and ends
     * with its last slice, though minor collections (each with an event of its own) run between
     * its slices — so it lasts at least as long as its slices' pauses add up to.
     */
    @Test
    void aCyclesEventSpansTheMinorCollectionsBetweenItsSlices() throws Exception {
        Path file = dir.resolve("jfr-cycle.jfr");
        long cycles;
        try (Recording recording = new Recording()) {
            recording.enable(JfrEvents.COLLECTION);
            recording.start();
            try (Heap heap = Heap.create(HeapConfig.defaults().name("jfr-cycle").minorHeapWords(4096).sliceWords(64));
                 RootArea roots = heap.newRootArea(1, Rank.STRONG)) {
                roots.setUsed(1);
                roots.slots()[0] = heap.allocArray(1000, Value.UNIT);
                for (int i = 0; heap.gc().majorCollections() < 2 && i < 10_000_000; i++) {
                    long pair = heap.alloc(0, Value.ofInt(i), Value.ofInt(i));
                    if ((i & 15) == 0) {
                        heap.setField(roots.slots()[0], (i >> 4) % 1000, pair);
                    }
                }
                cycles = heap.gc().majorCollections();
            }
            recording.stop();
            recording.dump(file);
        }
        assertThat(cycles).as("cycles finished incrementally").isGreaterThanOrEqualTo(2);
        List<RecordedEvent> majors = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getEventType().getName().equals(JfrEvents.COLLECTION) && "jfr-cycle".equals(e.getString("heap"))
                    && e.getString("kind").equals("MAJOR")) {
                majors.add(e);
            }
        }
        assertThat(majors).hasSizeGreaterThanOrEqualTo(2);
        for (RecordedEvent m : majors) {
            assertThat(m.getDuration()).as("cycle %d: its event's length against its slices' pauses", m.getLong("number"))
                    .isGreaterThanOrEqualTo(m.getDuration("pause"));
        }
    }

    @Test
    void everyTimedPhaseOfAMajorCollectionIsRecorded() throws Exception {
        List<GcEvent> seen = new ArrayList<>();
        List<RecordedEvent> events = record("jfr-phases", seen);
        GcEvent major = seen.stream().filter(e -> e.kind == GcEvent.Kind.MAJOR && !e.phaseNanos.isEmpty())
                .findFirst().orElseThrow();
        List<RecordedEvent> phases = events.stream()
                .filter(e -> e.getEventType().getName().equals(JfrEvents.PHASE))
                .filter(e -> e.getString("kind").equals("MAJOR") && e.getLong("number") == major.number).toList();

        assertThat(major.phaseNanos).containsKeys(Phase.ROOTS, Phase.MARK, Phase.SWEEP);
        assertThat(phases).extracting(e -> e.getString("phase"))
                .containsExactlyElementsOf(major.phaseNanos.keySet().stream().sorted().map(Phase::name).toList());
        for (RecordedEvent p : phases) {
            assertThat(p.getDuration("phaseDuration").toNanos())
                    .isEqualTo(major.phaseNanos.get(Phase.valueOf(p.getString("phase"))));
        }
    }

    @Test
    void aRecordingWithTheEventsDisabledGetsNoneAndCollectionsGoOn() throws Exception {
        Path file = dir.resolve("off.jfr");
        List<GcEvent> seen;
        try (Recording recording = new Recording()) {
            recording.disable(JfrEvents.COLLECTION);
            recording.disable(JfrEvents.PHASE);
            recording.start();
            seen = collect("jfr-off");
            recording.stop();
            recording.dump(file);
        }
        assertThat(seen).isNotEmpty();
        assertThat(RecordingFile.readAllEvents(file))
                .noneMatch(e -> e.getEventType().getName().startsWith("dev.ephemera."));
    }

    @Test
    void withoutARecordingCollectionsNeitherStartFlightRecorderNorLoadTheEventClasses() {
        // A fresh JVM: this one may have started Flight Recorder in another test. Registering
        // the event classes initialises Flight Recorder's metadata repository, which cost a
        // heap's first collection a quarter of a second in a cold JVM.
        ChildJvm.Result r = ChildJvm.run(CollectWithoutRecording.class, List.of("-Xlog:class+load=info"), 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("collected: true", "flight recorder initialized: false")
                .doesNotContain("JfrEvents$CollectionEvent", "JfrEvents$PhaseEvent");
    }

    /** The child of the test above. */
    static final class CollectWithoutRecording {
        public static void main(String[] args) {
            try (Heap heap = Heap.create(HeapConfig.defaults())) {
                heap.alloc(0, Value.ofInt(1));
                heap.gc().minor();
                heap.gc().fullMajor();
                GcStat st = heap.gc().stat();
                System.out.println("collected: " + (st.minorCollections > 0 && st.majorCollections > 0));
                System.out.println("flight recorder initialized: " + jdk.jfr.FlightRecorder.isInitialized());
            }
        }
    }

    @Test
    void theGcLogGoesToTheSystemLoggerAtDebugWithTheHeapsName() {
        List<String> hook = new ArrayList<>();
        List<LogRecord> records = logged(Level.FINE, () -> {
            try (Heap heap = Heap.create(HeapConfig.defaults().name("logged").gcLog(hook::add))) {
                heap.gc().minor();
            }
        });
        assertThat(hook).hasSize(1);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).getLevel()).isEqualTo(Level.FINE);
        assertThat(records.get(0).getMessage()).isEqualTo("logged " + hook.get(0));
        assertThat(hook.get(0)).startsWith("[gc] minor #1 reason=\"explicit minor request\"");
    }

    @Test
    void theSystemLoggersVerboseLevelHasALinePerSliceWithItsWorkAndPause() {
        long[] slices = new long[1];
        List<LogRecord> records = logged(Level.FINER, () -> {
            try (Heap heap = Heap.create(HeapConfig.defaults().name("verbose").minorHeapWords(4096).sliceWords(64));
                 Scope s = heap.openScope()) {
                Handle h = s.handle(Value.UNIT);
                for (int i = 0; i < 2000; i++) {
                    h.set(heap.alloc(0, Value.ofInt(i), h.get()));
                }
                heap.gc().minor();
                heap.gc().majorSlice(1);
                while (heap.gc().majorPhase() != null) {
                    heap.gc().majorSlice(1);
                }
                slices[0] = heap.gc().stat().majorSlices;
            }
        });
        List<String> sliceLines = records.stream().filter(r -> r.getLevel() == Level.FINER)
                .map(LogRecord::getMessage).toList();
        assertThat(slices[0]).isGreaterThan(3);
        assertThat(sliceLines).hasSize((int) slices[0]);
        assertThat(sliceLines).allSatisfy(line -> assertThat(line)
                .matches("verbose \\[gc\\] slice #\\d+ reason=\"[^\"]*\" pause=\\d+\\.\\d{3}ms work=\\d+w .*"));
        assertThat(records).filteredOn(r -> r.getLevel() == Level.FINE)
                .as("the cycle's own line, at the ordinary level")
                .anySatisfy(r -> assertThat(r.getMessage()).startsWith("verbose [gc] major #1 "));
    }

    @Test
    void theSystemLoggerIsQuietByDefault() {
        List<LogRecord> records = logged(null, () -> {
            try (Heap heap = Heap.create(HeapConfig.defaults().name("unlogged"))) {
                heap.gc().minor();
                heap.gc().major();
            }
        });
        assertThat(records).isEmpty();
    }

    /**
     * The records the GC logger publishes while {@code body} runs, with the logger at
     * {@code level} (null: as configured) and a handler that takes every level; the
     * logger is left as it was.
     */
    private static List<LogRecord> logged(Level level, Runnable body) {
        Logger jul = Logger.getLogger(Gc.LOGGER_NAME);
        Level before = jul.getLevel();
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        try {
            jul.addHandler(handler);
            if (level != null) {
                jul.setLevel(level);
            }
            body.run();
        } finally {
            jul.removeHandler(handler);
            jul.setLevel(before);
        }
        return records;
    }
}
