package io.txlab.devstack;

import java.nio.file.Path;

/** Where one component keeps its files inside the run directory. */
public record ComponentPaths(Path dir, Path logFile, Path pidFile) {

    public static ComponentPaths in(Path runDir, String component) {
        return new ComponentPaths(runDir.resolve(component), runDir.resolve(component + ".log"),
                runDir.resolve(component + ".pid"));
    }

    public Path dataDir() {
        return dir.resolve("data");
    }
}
