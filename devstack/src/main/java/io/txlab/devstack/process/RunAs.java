package io.txlab.devstack.process;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL refuses to run as root. When this JVM runs as root (containers, CI boxes) initdb and postgres
 * run through {@code setpriv} (which execs, keeping the PID) as the user {@code postgres} if it exists, else
 * {@code nobody}; the files they write are handed to that user first.
 */
public final class RunAs {

    private static volatile Optional<RunAs> current;

    private final String user;
    private final String group;

    private RunAs(String user, String group) {
        this.user = user;
        this.group = group;
    }

    /** Empty when this JVM is not root: commands then run as the current user unchanged. */
    public static Optional<RunAs> forPostgres() {
        Optional<RunAs> value = current;
        if (value == null) {
            value = detect();
            current = value;
        }
        return value;
    }

    private static Optional<RunAs> detect() {
        if (!"0".equals(commandOutput("id", "-u"))) {
            return Optional.empty();
        }
        for (String candidate : List.of("postgres", "nobody")) {
            String uid = commandOutput("id", "-u", candidate);
            if (uid != null && !uid.isEmpty()) {
                return Optional.of(new RunAs(candidate, commandOutput("id", "-gn", candidate)));
            }
        }
        throw new IllegalStateException("running as root, but neither user 'postgres' nor 'nobody' exists "
                + "(create one: useradd --system postgres)");
    }

    private static String commandOutput(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public String user() {
        return user;
    }

    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + group,
                "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives the tree to the run-as user (symlinks themselves, not their targets). */
    public void chownRecursively(Path root) {
        try {
            UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal owner = lookup.lookupPrincipalByName(user);
            GroupPrincipal groupPrincipal = lookup.lookupPrincipalByGroupName(group);
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    chown(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    chown(file);
                    return FileVisitResult.CONTINUE;
                }

                private void chown(Path p) throws IOException {
                    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS);
                    view.setOwner(owner);
                    view.setGroup(groupPrincipal);
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("could not chown " + root + " to " + user, e);
        }
    }

    /**
     * True when every ancestor of the path can be traversed by other users; root's home (mode 700) cannot,
     * so binaries extracted there would be unreachable for the postgres user.
     */
    public static boolean traversableByOthers(Path path) {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    if (!Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                        return false;
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
