package io.txlab.devstack.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root: -Dtxlab.repo, $TXLAB_REPO, the working directory's ancestors, the jar's location. */
final class RepoLocator {

    private RepoLocator() {
    }

    static Path locate() {
        String configured = System.getProperty("txlab.repo", System.getenv("TXLAB_REPO"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path fromCwd = search(Path.of("").toAbsolutePath());
        if (fromCwd != null) {
            return fromCwd;
        }
        try {
            Path jar = Path.of(RepoLocator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path fromJar = search(jar);
            if (fromJar != null) {
                return fromJar;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the error below
        }
        throw new IllegalStateException("cannot find the txlab repository (a folder with devstack/pom.xml); "
                + "run from inside it or set TXLAB_REPO");
    }

    private static Path search(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("devstack/pom.xml")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return null;
    }
}
