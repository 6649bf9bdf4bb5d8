package io.txlab.devstack.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The run directory's shared secret for the services' signed internal requests. */
final class StackSecret {

    private StackSecret() {
    }

    /**
     * The secret this stack's services sign their internal requests with (2PC protocol calls): 32 random bytes,
     * generated on first use into {@code internal-secret} in the run directory (owner-only) and kept there, so a
     * restarted service gets the same one.
     */
    static synchronized String readOrCreate(Path runDir) {
        Path file = runDir.resolve("internal-secret");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(runDir);
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String secret = HexFormat.of().formatHex(bytes);
            Path tmp = runDir.resolve("internal-secret.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, secret);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return secret;
        } catch (IOException e) {
            throw new Stack.StackException("cannot read or create " + file + ": " + e.getMessage());
        }
    }
}
