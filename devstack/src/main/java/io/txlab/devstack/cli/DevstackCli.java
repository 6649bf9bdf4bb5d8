package io.txlab.devstack.cli;

import io.txlab.devstack.Topology;
import io.txlab.devstack.process.LogFiles;
import io.txlab.devstack.stack.Stack;
import io.txlab.devstack.stack.StackLock;
import io.txlab.devstack.stack.StackState;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code ./txlab up|down|status|kill|restart|logs|fault}: the local stack from the command line. */
// scope INHERIT: every subcommand answers -h/--help and -V/--version too (./txlab up --help)
@Command(name = "txlab", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = DevstackCli.Version.class,
        description = "Runs the txlab stack locally: PostgreSQL clusters, Kafka, Temporal and the services.",
        subcommands = {DevstackCli.Up.class, DevstackCli.Down.class, DevstackCli.Status.class,
                DevstackCli.Kill.class, DevstackCli.Stop.class, DevstackCli.Restart.class, DevstackCli.Logs.class, DevstackCli.FaultCommand.class,
                DevstackCli.Compare.class, CommandLine.HelpCommand.class})
public final class DevstackCli implements Runnable {

    /** Exit code when the request was understood but the stack is not in the required state. */
    static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream out;

    DevstackCli(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        // library logs (Kafka admin client, gRPC) would drown the progress lines; child JVMs log at INFO instead
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/txlab/devstack/logback-cli.xml");
        }
        // initialise logging once, before the parallel probes and starts race to do it
        org.slf4j.LoggerFactory.getILoggerFactory();
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command with the given streams and returns its exit code (used by tests, without System.exit). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = commandLine(out, err);
        return cli.execute(args);
    }

    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new DevstackCli(out));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof Stack.StackException || e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException) {
                commandLine.getErr().println("error: " + e.getMessage());
            } else {
                e.printStackTrace(new PrintStream(err, true));
            }
            return EXIT_FAILURE;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every subcommand shares. */
    static final class StackOptions {

        @Option(names = "--run-dir", description = "Run directory (default: $TXLAB_RUN_DIR or <repo>/.txlab/run).")
        Path runDir;

        @Option(names = "--port-offset", description = "Added to every port (default: the offset the running "
                + "stack was started with, else 0).")
        Integer portOffset;

        @Option(names = "--repo", hidden = true, description = "Repository root (default: found from the "
                + "working directory or the devstack jar).")
        Path repo;

        Path repo() {
            return Optional.ofNullable(repo).orElseGet(RepoLocator::locate);
        }

        Path runDir() {
            return runDir != null ? runDir.toAbsolutePath() : Stack.defaultRunDir(repo());
        }

        Stack stack(PrintStream out) {
            Path dir = runDir();
            int offset = portOffset != null ? portOffset
                    : StackState.read(dir.resolve("stack.json")).map(StackState::portOffset).orElse(0);
            return new Stack(Topology.withPortOffset(offset), dir, repo(), out);
        }
    }

    abstract static class StackCommand implements Callable<Integer> {

        @Mixin
        StackOptions options;

        @CommandLine.ParentCommand
        DevstackCli parent;

        PrintStream out() {
            return parent.out;
        }

        StackLock lockOrFail(Stack stack) {
            return StackLock.tryAcquire(stack.lockFile()).orElseThrow(() -> new Stack.StackException(
                    "stack already running (pid " + StackLock.holder(stack.lockFile()) + " is changing it) — use "
                            + "./txlab status or ./txlab down"));
        }
    }

    @Command(name = "up", description = "Start the stack (or a part of it) and wait until every component is ready.")
    static final class Up extends StackCommand {

        @Option(names = "--only", split = ",", paramLabel = "<components>",
                description = "Components to start (names, or postgres / services / infra), with their dependencies.")
        List<String> only = new ArrayList<>();

        @Option(names = "--skip-services", description = "Start the infrastructure only.")
        boolean skipServices;

        @Option(names = "--no-zipkin", description = "Leave Zipkin out, and with it tracing (also TXLAB_ZIPKIN=off). "
                + "With Zipkin the services sample every order and export their spans to it.")
        boolean noZipkin;

        @Option(names = "--json-logs", description = "Services log JSON lines (Boot's ECS format, with traceId, "
                + "spanId and orderId) instead of text; the same as TXLAB_LOG_FORMAT=json.")
        boolean jsonLogs;

        @Option(names = "--trace-sampling", paramLabel = "<probability>", description = "With Zipkin, the share of requests "
                + "without a sampled trace context that start a trace (default 1.0: every order is traced). A request "
                + "carrying a W3C traceparent follows its sampled flag whatever this is.")
        Double traceSampling;

        @Option(names = "--links", description = "Also start the link proxy: the services then reach their databases, "
                + "Temporal and each other through it, and ./txlab fault can delay, partition or cut each link.")
        boolean links;

        @Override
        public Integer call() {
            PrintStream out = out();
            Stack stack = options.stack(out);
            try (StackLock ignored = lockOrFail(stack)) {
                List<String> alive = stack.aliveComponents();
                if (!alive.isEmpty()) {
                    List<String> pids = new ArrayList<>();
                    stack.state().ifPresent(s -> alive.forEach(n -> pids.add(s.components().get(n).pid() + " " + n)));
                    throw new Stack.StackException("stack already running (pid " + String.join(", ", pids)
                            + ") — use ./txlab status or ./txlab down");
                }
                java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
                if (jsonLogs) {
                    env.put("TXLAB_LOG_FORMAT", "json");
                }
                if (traceSampling != null) {
                    if (traceSampling < 0 || traceSampling > 1) {
                        throw new IllegalArgumentException("--trace-sampling must be between 0 and 1, got " + traceSampling);
                    }
                    env.put("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", Double.toString(traceSampling));
                }
                stack.withServiceEnvironment(env);
                stack.up(only, skipServices, !noZipkin && Stack.zipkinByDefault(), links);
            }
            return 0;
        }
    }

    @Command(name = "down", description = "Stop everything the devstack started (graceful, then SIGKILL after a timeout).")
    static final class Down extends StackCommand {
        @Override
        public Integer call() {
            Stack stack = options.stack(out());
            try (StackLock ignored = lockOrFail(stack)) {
                stack.down();
            }
            return 0;
        }
    }

    @Command(name = "status", description = "Show each component's PID, port, liveness, health and memory; "
            + "exits non-zero if a component is down.")
    static final class Status extends StackCommand {
        @Override
        public Integer call() {
            PrintStream out = out();
            Stack stack = options.stack(out);
            List<Stack.StatusRow> rows = stack.status();
            out.printf(Locale.ROOT, "%-22s %8s %6s %-6s %-8s %10s%n", "COMPONENT", "PID", "PORT", "ALIVE", "HEALTH", "RSS");
            long total = 0;
            boolean allUp = true;
            for (Stack.StatusRow r : rows) {
                out.printf(Locale.ROOT, "%-22s %8d %6d %-6s %-8s %10s%n", r.component(), r.pid(), r.port(),
                        r.alive() ? "yes" : "no", r.healthy() ? "UP" : "DOWN", r.rssKb() >= 0 ? mib(r.rssKb()) : "-");
                total += Math.max(0, r.rssKb());
                allUp &= r.alive() && r.healthy();
            }
            out.printf(Locale.ROOT, "%-22s %8s %6s %-6s %-8s %10s%n", "total", "", "", "", "", mib(total));
            out.println("run dir " + stack.runDir() + (stack.topology().portOffset() != 0
                    ? ", port offset " + stack.topology().portOffset() : ""));
            return allUp ? 0 : EXIT_FAILURE;
        }

        private static String mib(long kb) {
            return String.format(Locale.ROOT, "%.1f MiB", kb / 1024.0);
        }
    }

    @Command(name = "kill", description = "SIGKILL a component by PID (like a pod kill) and print the kill time.")
    static final class Kill extends StackCommand {
        @Parameters(paramLabel = "<component>")
        String component;

        @Override
        public Integer call() {
            PrintStream out = out();
            Stack stack = options.stack(out);
            long pid = stack.launcher(component).pid().orElse(-1);
            long at = stack.kill(component);
            out.printf(Locale.ROOT, "killed %s (pid %d) at %d epoch ms%n", component, pid, at);
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop components gracefully (SIGTERM, then SIGKILL after a timeout); the rest "
            + "of the stack keeps running, and restart starts them again.")
    static final class Stop extends StackCommand {
        @Parameters(paramLabel = "<component>", arity = "1..*")
        List<String> components;

        @Override
        public Integer call() {
            Stack stack = options.stack(out());
            try (StackLock ignored = lockOrFail(stack)) {
                stack.stop(components);
            }
            return 0;
        }
    }

    @Command(name = "restart", description = "Start a component again (stopping it first if it runs), wait until "
            + "healthy and print the time it took.")
    static final class Restart extends StackCommand {
        @Parameters(paramLabel = "<component>")
        String component;

        @picocli.CommandLine.Option(names = "--env", paramLabel = "NAME=VALUE",
                description = "Extra environment for a service for this run only, e.g. "
                        + "--env SPRING_PROFILES_ACTIVE=chaos --env TXLAB_CHAOS_CRASH_POINTS=outbox.after-commit-before-relay")
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() {
            PrintStream out = out();
            Stack stack = options.stack(out);
            stack.topology().component(component);
            try (StackLock ignored = lockOrFail(stack)) {
                long startedAt = System.currentTimeMillis();
                Duration took = stack.restart(component, env);
                out.printf(Locale.ROOT, "%s healthy after %.3f s (pid %d, port %d; restart began at %d epoch ms)%n",
                        component, took.toNanos() / 1e9, stack.launcher(component).pid().orElse(-1),
                        stack.topology().component(component).port(), startedAt);
            }
            return 0;
        }
    }

    @Command(name = "fault", description = {
            "Network faults on a link of a stack started with --links (a service's connections to one of its databases, "
                    + "to Temporal or to another service):",
            "  fault list                          every link, its port and its fault",
            "  fault partition <from> <to>         packets dropped: nothing crosses, connections stay open",
            "  fault delay <from> <to> <rtt-ms>    every round trip <rtt-ms> longer (half each way)",
            "  fault delay <rtt-ms>                the same on every link at once (0: no delay)",
            "  fault cut <from> <to>               open connections reset, new ones reset on accept",
            "  fault heal [<from> <to>]            one link, or every link, back to normal",
            "e.g. ./txlab fault partition payment-service postgres-payment"})
    static final class FaultCommand extends StackCommand {
        @Parameters(index = "0", paramLabel = "<action>", description = "list, partition, delay, cut or heal")
        String action;

        @Parameters(index = "1..*", paramLabel = "<arg>", arity = "0..3")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            PrintStream out = out();
            Stack stack = options.stack(out);
            io.txlab.devstack.links.LinkControl links = stack.links();
            switch (action.toLowerCase(Locale.ROOT)) {
                case "list" -> {
                    expectArgs(0);
                    printLinks(out, links.list());
                }
                case "heal" -> {
                    if (args.isEmpty()) {
                        links.healAll();
                        out.println("every link healed");
                    } else {
                        expectArgs(2);
                        printLinks(out, List.of(links.set(args.get(0), args.get(1), io.txlab.devstack.links.Fault.NONE)));
                    }
                }
                case "partition", "cut" -> {
                    expectArgs(2);
                    printLinks(out, List.of(links.set(args.get(0), args.get(1),
                            io.txlab.devstack.links.Fault.parse(action, 0))));
                }
                case "delay" -> {
                    if (args.size() == 1) {
                        // every link at once: the comparison's network-distance sweep, or a person trying one distance
                        io.txlab.devstack.links.Fault delay = io.txlab.devstack.links.Fault.delay(rttMs(args.get(0)));
                        List<io.txlab.devstack.links.LinkProxy.Status> set = new ArrayList<>();
                        for (io.txlab.devstack.links.LinkProxy.Status l : links.list()) {
                            set.add(links.set(l.from(), l.to(), delay));
                        }
                        printLinks(out, set);
                    } else {
                        expectArgs(3);
                        printLinks(out, List.of(links.set(args.get(0), args.get(1),
                                io.txlab.devstack.links.Fault.delay(rttMs(args.get(2))))));
                    }
                }
                default -> throw new IllegalArgumentException("unknown fault action '" + action
                        + "' (list, partition, delay, cut, heal)");
            }
            return 0;
        }

        private static int rttMs(String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("delay: <rtt-ms> must be a whole number of milliseconds, got '" + value + "'");
            }
        }

        private void expectArgs(int n) {
            if (args.size() != n) {
                throw new IllegalArgumentException("fault " + action + " takes " + n + " argument(s), got " + args.size()
                        + " — see ./txlab fault --help");
            }
        }

        private static void printLinks(PrintStream out, List<io.txlab.devstack.links.LinkProxy.Status> links) {
            out.printf(Locale.ROOT, "%-40s %6s %6s %-10s %7s %6s  %s%n", "LINK", "PORT", "TARGET", "FAULT", "RTT-MS",
                    "CONNS", "SINCE");
            for (io.txlab.devstack.links.LinkProxy.Status l : links) {
                out.printf(Locale.ROOT, "%-40s %6d %6d %-10s %7s %6d  %s%n", l.name(), l.port(), l.targetPort(), l.fault(),
                        l.rttMs() > 0 ? Integer.toString(l.rttMs()) : "-", l.openConnections(), l.since());
            }
        }
    }

    /** The project version, from the one place it is stated (the root pom, through {@link Topology}). */
    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            return new String[] {"txlab devstack " + Topology.PROJECT_VERSION};
        }
    }

    /**
     * Listed here so that {@code ./txlab --help} shows every command. The wrapper script runs it from the load-tests
     * jar (it needs Gatling, which the devstack does not carry); reaching this class means the devstack jar was run
     * directly.
     */
    @Command(name = "compare", description = "The main job: run the five flows side by side on this stack and write "
            + "the report (report/index.html); ./txlab compare --help lists its options.")
    static final class Compare implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getErr().println("compare runs from the load-tests jar: use ./txlab compare"
                    + " (or java -jar load-tests/target/load-tests-" + Topology.PROJECT_VERSION + ".jar)");
            return 2;
        }
    }

    @Command(name = "logs", description = "Print the end of a component's log; -f keeps following it.")
    static final class Logs extends StackCommand {
        @Parameters(paramLabel = "<component>")
        String component;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
        boolean follow;

        @Option(names = {"-n", "--lines"}, defaultValue = "50", description = "Lines to show (default ${DEFAULT-VALUE}).")
        int lines;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintStream out = out();
            Stack stack = options.stack(out);
            Path log = stack.launcher(component).logFile();
            if (!Files.exists(log)) {
                throw new Stack.StackException("no log for " + component + " at " + log);
            }
            long position = Files.size(log);
            out.println(LogFiles.tail(log, lines));
            while (follow) {
                long size = Files.size(log);
                if (size < position) {
                    position = 0;
                }
                if (size > position) {
                    try (RandomAccessFile raf = new RandomAccessFile(log.toFile(), "r")) {
                        raf.seek(position);
                        byte[] buf = new byte[(int) Math.min(size - position, 1 << 20)];
                        raf.readFully(buf);
                        out.print(new String(buf, StandardCharsets.UTF_8));
                        out.flush();
                        position += buf.length;
                    }
                } else {
                    Thread.sleep(200);
                }
            }
            return 0;
        }
    }
}
