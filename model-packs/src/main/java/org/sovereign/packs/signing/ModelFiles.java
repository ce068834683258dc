package org.sovereign.packs.signing;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Enumerates the regular files under a model root per OMS §6.1 with {@code allow_symlinks: false}:
 * symbolic links are never followed and are refused, as are special files. Blocks on file I/O.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** One enumerated file: canonical relative name, absolute path, size. */
    public record Entry(String name, Path path, long size) {
    }

    /**
     * Lists the files under {@code root}, skipping names equal to or beneath one of {@code ignore}.
     *
     * @return entries keyed and sorted by name in code point order
     * @throws SymlinkRefusedException when a symbolic link is found (also when {@code root} is one)
     */
    public static SortedMap<String, Entry> list(Path root, Collection<String> ignore) throws IOException {
        if (Files.isSymbolicLink(root)) {
            throw new SymlinkRefusedException(String.valueOf(root.getFileName()));
        }
        if (!Files.isDirectory(root)) {
            throw new FileIntegrityException(String.valueOf(root.getFileName()),
                    "'" + root.getFileName() + "' is not a folder.");
        }
        List<String> ignored = new ArrayList<>(ignore);
        SortedMap<String, Entry> out = new TreeMap<>(CodePointOrder.COMPARATOR);
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && ResourceNames.ignored(name(root, dir), ignored)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = name(root, file);
                if (ResourceNames.ignored(name, ignored)) {
                    return FileVisitResult.CONTINUE;
                }
                String problem = ResourceNames.problem(name);
                if (problem != null) {
                    throw new FileIntegrityException(name, "The model holds " + problem + ".");
                }
                if (attrs.isSymbolicLink()) {
                    throw new SymlinkRefusedException(name);
                }
                if (!attrs.isRegularFile()) {
                    throw new FileIntegrityException(name, "'" + name + "' is not a regular file.");
                }
                out.put(name, new Entry(name, file, attrs.size()));
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    static String name(Path root, Path file) {
        StringBuilder sb = new StringBuilder();
        for (Path part : root.relativize(file)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part.toString());
        }
        return sb.toString();
    }
}
