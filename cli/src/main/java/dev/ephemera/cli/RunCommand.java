package dev.ephemera.cli;

import dev.ephemera.scheme.Scheme;
import dev.ephemera.scheme.SchemeError;
import dev.ephemera.scheme.SchemeExit;
import dev.ephemera.scheme.SchemeInterrupt;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.utils.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ephemera run FILE...}: runs Scheme scripts in order in one interpreter. Top-level
 * values are not printed. Exit status 0 on success; on an error the report (position, message,
 * backtrace) goes to standard error and the status is 1; {@code (exit n)} exits with n; Ctrl-C
 * stops the script at its next procedure call and exits with 130, as a shell expects of a
 * program killed by SIGINT (a second Ctrl-C before it stops exits at once).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run Scheme scripts (top-level values are not printed; exit 1 on an error, 130 on Ctrl-C).")
public final class RunCommand implements Callable<Integer> {
    /** The exit status of a program stopped by SIGINT: 128 + 2. */
    static final int INTERRUPTED = 130;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scheme source files, run in order.")
    List<Path> files;

    @Mixin
    SchemeOptions options = new SchemeOptions();

    @Override
    public Integer call() throws Exception {
        if (!options.check("run", System.err)) {
            return 2;
        }
        return SchemeThread.run(this::session);
    }

    private Integer session() {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        try (Scheme scheme = options.create()) {
            scheme.setOutput(out);
            Object previous = Signals.register("INT", () -> {
                if (!scheme.interrupt()) {
                    System.exit(INTERRUPTED); // the script is inside one long primitive: do not wait
                }
            });
            try {
                for (Path file : files) {
                    scheme.load(file);
                }
            } finally {
                Signals.unregister("INT", previous);
            }
            return 0;
        } catch (SchemeExit e) {
            return e.status();
        } catch (SchemeError e) {
            out.flush();
            System.err.println("error: " + e.report());
            return 1;
        } catch (SchemeInterrupt e) {
            out.flush();
            System.err.println(e.report());
            return INTERRUPTED;
        } finally {
            out.flush();
        }
    }
}
