package io.txlab.devstack.links;

import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.process.JavaCommand;
import io.txlab.devstack.process.JvmComponent;
import io.txlab.devstack.process.JvmOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The link proxy as a stack component ({@code links}): one small JVM ({@link LinksServerMain}) that the services
 * reach their databases, Temporal and each other through, when the stack was started with {@code --links}.
 */
public final class LinksComponent extends JvmComponent {

    /** The file in the component's folder where the proxy writes the port of each link. */
    public static final String PORTS_FILE = "links.json";

    private final List<LinkSpec> links;

    public LinksComponent(String name, ComponentPaths paths, int controlPort, List<LinkSpec> links) {
        super(name, paths, controlPort);
        this.links = List.copyOf(links);
    }

    public static Path portsFile(ComponentPaths paths) {
        return paths.dir().resolve(PORTS_FILE);
    }

    @Override
    protected List<String> command() {
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(port()));
        args.add(portsFile(paths()).toAbsolutePath().toString());
        links.forEach(l -> args.add(LinksServerMain.format(l)));
        return JavaCommand.forMainClass(paths().dir().resolve("classpath.args"), JvmOptions.links(name(), paths().dir()),
                LinksServerMain.class.getName(), args);
    }

    @Override
    protected Duration readyTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    protected Duration stopGrace() {
        return Duration.ofSeconds(5);
    }

    @Override
    public boolean isReady() {
        return new LinkControl(port()).reachable();
    }
}
