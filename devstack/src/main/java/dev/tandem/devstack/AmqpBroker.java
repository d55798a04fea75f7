package dev.tandem.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.server.SystemLauncher;

/**
 * An AMQP 0-9-1 broker in this process (Apache Qpid Broker-J), standing in for RabbitMQ on
 * machines without one. Declaration arguments it does not know (RabbitMQ's {@code x-queue-type},
 * {@code x-dead-letter-exchange}, ...) are ignored rather than refused, and it does not dead-letter
 * by itself: the applications' retry and dead-letter logic never relies on the broker for that.
 */
public final class AmqpBroker implements AutoCloseable {

    public static final String USER = "guest";
    public static final String PASSWORD = "guest";

    private final SystemLauncher launcher;
    private final int port;

    private AmqpBroker(SystemLauncher launcher, int port) {
        this.launcher = launcher;
        this.port = port;
    }

    /**
     * Starts the broker listening on localhost.
     *
     * @param workDirectory where durable queues and persistent messages are kept across runs
     * @param durable false keeps everything in memory (tests)
     */
    public static AmqpBroker start(Path workDirectory, int port, boolean durable) {
        try {
            Files.createDirectories(workDirectory);
            // Derby (the persistent message store) logs to ./derby.log unless told otherwise.
            System.setProperty(
                    "derby.stream.error.file",
                    workDirectory.resolve("derby.log").toAbsolutePath().toString());
            Path initialConfig = workDirectory.resolve("initial-config.json");
            Files.writeString(initialConfig, initialConfiguration(durable ? "DERBY" : "Memory"));

            Map<String, Object> attributes = new HashMap<>();
            // The broker-level configuration is rebuilt from initialConfig on every start; the
            // virtual host keeps its exchanges, queues and messages in workDirectory.
            attributes.put("type", "Memory");
            attributes.put("initialConfigurationLocation", initialConfig.toUri().toString());
            attributes.put("startupLoggedToSystemOut", false);
            attributes.put(
                    "context",
                    Map.of(
                            "qpid.work_dir", workDirectory.toAbsolutePath().toString(),
                            "qpid.amqp_port", Integer.toString(port)));
            SystemLauncher launcher = new SystemLauncher();
            launcher.startup(attributes);
            return new AmqpBroker(launcher, port);
        } catch (Exception e) {
            throw new DevStackException("the AMQP broker did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** The URI clients connect with; the default virtual host is "/". */
    public String uri() {
        return "amqp://" + USER + ":" + PASSWORD + "@localhost:" + port;
    }

    private static String initialConfiguration(String virtualHostType) {
        return """
                {
                  "name": "tandem-devstack",
                  "modelVersion": "8.0",
                  "context": { "queue.behaviourOnUnknownDeclareArgument": "IGNORE" },
                  "authenticationproviders": [ {
                    "name": "plain",
                    "type": "Plain",
                    "secureOnlyMechanisms": [],
                    "users": [ { "name": "%s", "type": "managed", "password": "%s" } ]
                  } ],
                  "ports": [ {
                    "name": "AMQP",
                    "port": "${qpid.amqp_port}",
                    "bindingAddress": "127.0.0.1",
                    "authenticationProvider": "plain",
                    "protocols": [ "AMQP_0_9_1" ],
                    "virtualhostaliases": [
                      { "name": "nameAlias", "type": "nameAlias" },
                      { "name": "defaultAlias", "type": "defaultAlias" }
                    ]
                  } ],
                  "virtualhostnodes": [ {
                    "name": "default",
                    "type": "%s",
                    "defaultVirtualHostNode": "true",
                    "virtualHostInitialConfiguration": "{\\"type\\": \\"%s\\"}"
                  } ]
                }
                """.formatted(USER, PASSWORD, virtualHostType.equals("Memory") ? "Memory" : "JSON", virtualHostType);
    }

    @Override
    public void close() {
        launcher.shutdown();
    }
}
