package io.txlab.devstack.links;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * The link proxy process ({@code ./txlab up --links}): one {@link LinkProxy} per link and a small control API on
 * 127.0.0.1, which {@code ./txlab fault} and the tests drive through {@link LinkControl}.
 *
 * <pre>
 *   GET  /links                                    every link with its port, fault and connections
 *   POST /links/{from}/{to}?fault=KIND[&amp;rttMs=N]   KIND: none, delay, partition, cut
 *   POST /links/heal                               every link back to none
 * </pre>
 *
 * <p>Arguments: {@code <control port> <ports file> <from>to=targetPort[@listenPort]>...}. The ports each link listens
 * on are written to the ports file; a restart binds the same ports again where it can, so services started before it
 * keep reaching their links. A link given its {@code listenPort} binds that one or fails (the broker advertises it).
 */
public final class LinksServerMain {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LinksServerMain() {
    }

    /** The ports file: what the stack reads to point each service at its links. */
    public record PortsFile(int controlPort, List<Entry> links) {
        public record Entry(String from, String to, int port, int targetPort) {
        }

        public static Optional<PortsFile> read(Path file) {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try {
                return Optional.of(JSON.readValue(file.toFile(), PortsFile.class));
            } catch (JacksonException e) {
                return Optional.empty();
            }
        }

        /** The port of {@code from>to}, if this file has that link. */
        public Optional<Integer> port(String from, String to) {
            return links.stream().filter(e -> e.from().equals(from) && e.to().equals(to)).map(Entry::port).findFirst();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: LinksServerMain <control port> <ports file> <from>to=targetPort[@listenPort]>...");
        }
        int controlPort = Integer.parseInt(args[0]);
        Path portsFile = Path.of(args[1]);
        Optional<PortsFile> previous = PortsFile.read(portsFile);
        Map<String, LinkProxy> links = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            LinkSpec spec = parse(args[i]);
            if (spec.listenPort() > 0) {
                // its port is advertised by the target (the broker's link listener): no other will do
                links.put(spec.name(), new LinkProxy(spec, spec.listenPort()));
                continue;
            }
            int wanted = previous.flatMap(p -> p.port(spec.from(), spec.to())).orElse(0);
            links.put(spec.name(), bind(spec, wanted));
        }
        List<PortsFile.Entry> entries = new ArrayList<>();
        links.values().forEach(l -> entries.add(new PortsFile.Entry(l.spec().from(), l.spec().to(), l.port(), l.spec().targetPort())));
        Path tmp = portsFile.resolveSibling(portsFile.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new PortsFile(controlPort, entries));
        Files.move(tmp, portsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), controlPort), 16);
        http.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "links-control");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/links", exchange -> handle(exchange, links));
        http.start();
        for (LinkProxy l : links.values()) {
            System.out.printf("link %s: 127.0.0.1:%d -> 127.0.0.1:%d%n", l.spec().name(), l.port(), l.spec().targetPort());
        }
        System.out.println("links ready: control API on 127.0.0.1:" + controlPort);
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop(0);
            links.values().forEach(LinkProxy::close);
            stopped.countDown();
        }, "links-stop"));
        stopped.await();
    }

    private static LinkProxy bind(LinkSpec spec, int wanted) throws IOException {
        if (wanted > 0) {
            try {
                return new LinkProxy(spec, wanted);
            } catch (IOException taken) {
                System.out.println("link " + spec.name() + ": port " + wanted + " is taken, binding another");
            }
        }
        return new LinkProxy(spec, 0);
    }

    /** {@code from>to=targetPort}, or {@code from>to=targetPort@listenPort} for a link that must listen on that port. */
    static LinkSpec parse(String arg) {
        int gt = arg.indexOf('>');
        int eq = arg.lastIndexOf('=');
        if (gt <= 0 || eq <= gt + 1) {
            throw new IllegalArgumentException("a link is <from>to=targetPort[@listenPort]>, got '" + arg + "'");
        }
        String ports = arg.substring(eq + 1);
        int at = ports.indexOf('@');
        return at < 0
                ? new LinkSpec(arg.substring(0, gt), arg.substring(gt + 1, eq), Integer.parseInt(ports))
                : new LinkSpec(arg.substring(0, gt), arg.substring(gt + 1, eq), Integer.parseInt(ports.substring(0, at)),
                        Integer.parseInt(ports.substring(at + 1)));
    }

    /** What {@link #parse} reads. */
    static String format(LinkSpec spec) {
        return spec.name() + "=" + spec.targetPort() + (spec.listenPort() > 0 ? "@" + spec.listenPort() : "");
    }

    private static void handle(HttpExchange exchange, Map<String, LinkProxy> links) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI().getPath().replaceAll("/+$", "").split("/");
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.length == 2) {
                respond(exchange, 200, Map.of("links", links.values().stream().map(LinkProxy::status).toList()));
            } else if (method.equals("POST") && path.length == 3 && path[2].equals("heal")) {
                links.values().forEach(l -> l.set(Fault.NONE));
                respond(exchange, 200, Map.of("links", links.values().stream().map(LinkProxy::status).toList()));
            } else if (method.equals("POST") && path.length == 4) {
                LinkProxy link = links.get(path[2] + ">" + path[3]);
                if (link == null) {
                    respond(exchange, 404, Map.of("title", "no such link", "detail", "no link " + path[2] + ">" + path[3]
                            + "; links: " + String.join(", ", links.keySet())));
                    return;
                }
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                Fault fault;
                try {
                    fault = Fault.parse(query.getOrDefault("fault", ""),
                            Integer.parseInt(query.getOrDefault("rttMs", "0")));
                } catch (IllegalArgumentException e) {
                    respond(exchange, 400, Map.of("title", "bad fault", "detail", e.getMessage()));
                    return;
                }
                link.set(fault);
                System.out.println("link " + link.spec().name() + ": " + fault);
                System.out.flush();
                respond(exchange, 200, link.status());
            } else {
                respond(exchange, 404, Map.of("title", "not found", "detail", method + " " + exchange.getRequestURI().getPath()));
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
