package dev.ephemera.architecture;

import dev.ephemera.Heap;
import dev.ephemera.HeapConfig;
import dev.ephemera.Scope;
import dev.ephemera.object.Value;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * A client of the core module as a user's application sees it: run by {@link ModuleTest} in a
 * JVM of its own, with core on the module path (the named module {@code dev.ephemera.core})
 * and this class on the class path. It uses the heap, records the heap's Flight Recorder
 * events and reads its MBean — the two services whose classes must work from inside a named
 * module — and prints one line per finding for the test to check.
 */
public final class ModuleClient {
    private ModuleClient() {}

    /** Prints {@code module=}, {@code gc-exported=}, {@code jfr-collections=} and {@code jmx-collections=} lines. */
    public static void main(String[] args) throws Exception {
        Module core = Heap.class.getModule();
        System.out.println("module=" + core.getName());
        System.out.println("gc-exported=" + core.isExported("dev.ephemera.gc"));
        Path file = Files.createTempFile("ephemera-module-client", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.ephemera.Collection");
            recording.start();
            try (Heap heap = Heap.create(HeapConfig.defaults().name("module-client").minorHeapWords(4096));
                 Scope scope = heap.openScope()) {
                scope.handle(heap.alloc(0, Value.ofInt(1), Value.NONE));
                heap.gc().minor();
                heap.gc().fullMajor();
                System.out.println("jmx-collections=" + collectionsSeenByJmx());
            }
            recording.stop();
            recording.dump(file);
        }
        long events = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if ("module-client".equals(e.getString("heap"))) {
                events++;
            }
        }
        Files.delete(file);
        System.out.println("jfr-collections=" + events);
    }

    /** The heap's {@code Collections} attribute, once its MBean (registered in the background) is there. */
    private static Object collectionsSeenByJmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.ephemera:type=Heap,name=module-client");
        for (int i = 0; i < 600 && !server.isRegistered(name); i++) {
            Thread.sleep(50);
        }
        return server.getAttribute(name, "Collections");
    }
}
