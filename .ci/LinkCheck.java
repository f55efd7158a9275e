import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * java .ci/LinkCheck.java ROOT FILE-OR-DIR...: every relative link and image in the Markdown
 * files given (directories: every *.md below them) must resolve to a file or directory inside
 * ROOT, and a link to a heading of a Markdown file (#anchor, GitHub's slugs) to a heading that
 * exists. Links with a scheme (https:, mailto:) are not followed; code blocks and code spans are
 * skipped. Prints each broken link with its file and line; exit status 1 if there is any.
 */
public class LinkCheck {
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            Path p = Path.of(args[i]).toAbsolutePath().normalize();
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        int links = 0;
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            boolean fenced = false;
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n);
                if (line.stripLeading().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    continue;
                }
                Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
                while (m.find()) {
                    String target = m.group(1);
                    if (SCHEME.matcher(target).find()) {
                        continue;
                    }
                    links++;
                    String problem = check(root, file, target);
                    if (problem != null) {
                        broken.add(root.relativize(file) + ":" + (n + 1) + ": " + target + ": " + problem);
                    }
                }
            }
        }
        broken.forEach(System.out::println);
        System.out.println("links: " + links + " relative links in " + files.size() + " files, " + broken.size() + " broken");
        System.exit(broken.isEmpty() ? 0 : 1);
    }

    /** Null if {@code target} (relative to {@code file}) resolves inside {@code root}; else why not. */
    static String check(Path root, Path file, String target) throws IOException {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            return "outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (anchor != null && !anchor.isEmpty() && resolved.toString().endsWith(".md")
                && !anchors(resolved).contains(anchor)) {
            return "no heading #" + anchor + " in " + root.relativize(resolved);
        }
        return null;
    }

    /** GitHub's anchors for the headings of a Markdown file. */
    static Set<String> anchors(Path md) throws IOException {
        Set<String> out = new HashSet<>();
        Set<String> seen = new HashSet<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(md, StandardCharsets.UTF_8)) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced || !line.startsWith("#")) {
                continue;
            }
            String text = line.replaceFirst("^#+\\s*", "").replaceAll("`", "");
            String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            String unique = slug;
            for (int i = 1; !seen.add(unique); i++) {
                unique = slug + "-" + i;
            }
            out.add(unique);
        }
        return out;
    }
}
