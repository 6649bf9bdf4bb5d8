package io.txlab.loadtests.chaos;

import io.txlab.devstack.cli.DevstackCli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stack through the devstack's own commands ({@code up}, {@code down}, {@code kill}, {@code restart}, {@code fault}), run in
 * this JVM via {@link DevstackCli#run}: the same locking, pid files and readiness checks as {@code ./txlab kill},
 * without a JVM start per chaos action (which would blur the kill instant by a second).
 */
public final class StackControl {

    private static final Pattern KILLED_AT = Pattern.compile("at (\\d+) epoch ms");

    private final List<String> common;
    private final PrintStream log;

    /** @param extraArgs options every command gets (e.g. {@code --run-dir x}); @param log where their output goes */
    public StackControl(List<String> extraArgs, PrintStream log) {
        this.common = List.copyOf(extraArgs);
        this.log = log;
    }

    public void up() {
        run("up");
    }

    /** {@code up} with options (e.g. {@code --no-zipkin}). */
    public void up(List<String> options) {
        List<String> args = new ArrayList<>(List.of("up"));
        args.addAll(options);
        run(args.toArray(String[]::new));
    }

    public void down() {
        run("down");
    }

    public boolean allHealthy() {
        return exec(new PrintStream(OutputStream.nullOutputStream()), "status") == 0;
    }

    /** SIGKILL by PID; returns the epoch millisecond just before the signal (as devstack reports it). */
    public long kill(String component) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        long before = System.currentTimeMillis();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        if (exec(out, "kill", component) != 0) {
            throw new IllegalStateException("./txlab kill " + component + " failed: " + captured.toString(StandardCharsets.UTF_8).trim());
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        log.print(text);
        Matcher m = KILLED_AT.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : before;
    }

    /** Stops the components gracefully ({@code ./txlab stop}); the rest of the stack keeps running. */
    public void stop(List<String> components) {
        List<String> args = new ArrayList<>(List.of("stop"));
        args.addAll(components);
        run(args.toArray(String[]::new));
    }

    /** Starts the component again and returns when it is healthy. */
    public void restart(String component) {
        run("restart", component);
    }

    /** Starts the component again with extra environment (e.g. the chaos profile and a crash point) until healthy. */
    public void restart(String component, Map<String, String> environment) {
        List<String> args = new ArrayList<>(List.of("restart"));
        environment.forEach((k, v) -> args.addAll(List.of("--env", k + "=" + v)));
        args.add(component);
        run(args.toArray(String[]::new));
    }

    /** {@code ./txlab fault partition|heal <from> <to>} on a stack whose link proxy runs (ADR 21). */
    public void fault(String action, String from, String to) {
        run("fault", action, from, to);
    }

    /**
     * Every link of the link proxy {@code rttMs} slower per round trip ({@code ./txlab fault delay <rtt-ms>}), or every
     * link healed ({@code ./txlab fault heal}) at 0.
     */
    public void delayEveryLink(int rttMs) {
        if (rttMs == 0) {
            run("fault", "heal");
        } else {
            run("fault", "delay", Integer.toString(rttMs));
        }
    }

    private void run(String... command) {
        if (exec(log, command) != 0) {
            throw new IllegalStateException("./txlab " + String.join(" ", command) + " failed (see the lines above)");
        }
    }

    private int exec(PrintStream out, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        if (command.length > 0) {
            args.addAll(1, common);
        }
        return DevstackCli.run(out, out, args.toArray(String[]::new));
    }
}
