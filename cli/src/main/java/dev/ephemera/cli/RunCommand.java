package dev.ephemera.cli;

import dev.ephemera.scheme.Scheme;
import dev.ephemera.scheme.SchemeError;
import dev.ephemera.scheme.SchemeExit;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ephemera run FILE...}: runs Scheme scripts in order in one interpreter. Top-level
 * values are not printed. Exit status 0 on success; on an error the message goes to standard
 * error and the status is 1; {@code (exit n)} exits with n.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run Scheme scripts (top-level values are not printed; exit 1 on an error).")
public final class RunCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scheme source files, run in order.")
    List<Path> files;

    @Mixin
    SchemeOptions options = new SchemeOptions();

    @Override
    public Integer call() throws Exception {
        return SchemeThread.run(this::session);
    }

    private Integer session() {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        try (Scheme scheme = options.create()) {
            scheme.setOutput(out);
            for (Path file : files) {
                scheme.load(file);
            }
            return 0;
        } catch (SchemeExit e) {
            return e.status();
        } catch (SchemeError e) {
            out.flush();
            System.err.println("error: " + e.report());
            return 1;
        } finally {
            out.flush();
        }
    }
}
