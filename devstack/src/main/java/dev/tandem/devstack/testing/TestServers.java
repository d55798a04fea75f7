package dev.tandem.devstack.testing;

import dev.tandem.devstack.AmqpBroker;
import dev.tandem.devstack.MailCatcher;
import dev.tandem.devstack.Ports;
import dev.tandem.devstack.PostgresServer;
import dev.tandem.schema.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The servers an integration test runs against: a real PostgreSQL, migrated by shared-schema, and
 * a real AMQP broker. Started once per JVM, on free ports, in a throw-away folder; stopped and
 * deleted when the JVM exits.
 *
 * <p>When {@code TANDEM_AMQP_URI} is set (CI sets it to a real RabbitMQ), that broker is used
 * instead of the embedded one, so the same tests prove the messaging against RabbitMQ.
 */
public final class TestServers {

    private static final Deque<AutoCloseable> STARTED = new ArrayDeque<>();
    private static PostgresServer postgres;
    private static String amqpUri;
    private static AmqpBroker broker;
    private static MailCatcher mail;
    private static Path root;

    private TestServers() {}

    /** The running, migrated test database. */
    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = PostgresServer.start(root().resolve("postgres"), Ports.free(), false, null);
            STARTED.push(postgres);
            Migrations.migrate(Migrations.flyway(postgres.dataSource()));
        }
        return postgres;
    }

    /** The broker's URI: {@code TANDEM_AMQP_URI} when set, otherwise an embedded broker's. */
    public static synchronized String amqpUri() {
        if (amqpUri == null) {
            String external = System.getenv("TANDEM_AMQP_URI");
            if (external != null && !external.isBlank()) {
                amqpUri = isolatedVirtualHost(external).orElse(external);
            } else {
                // Persistent (Derby), so that a restart keeps queues and messages as RabbitMQ does.
                broker = AmqpBroker.start(root().resolve("broker"), Ports.free(), true);
                STARTED.push(broker);
                amqpUri = broker.uri();
            }
        }
        return amqpUri;
    }

    /**
     * Stops the broker, leaves it down for {@code downtime}, and starts it again with its durable
     * queues and persistent messages: the embedded one in place, a RabbitMQ named by {@code
     * TANDEM_AMQP_URI} with {@code rabbitmqctl stop_app} / {@code start_app} (which must be on the
     * PATH, talking to that node). Every client connection breaks, as in a real broker restart.
     */
    public static synchronized void restartBroker(java.time.Duration downtime) {
        amqpUri();
        try {
            if (broker == null) {
                rabbitmqctl("stop_app");
                Thread.sleep(downtime.toMillis());
                rabbitmqctl("start_app");
                rabbitmqctl("await_startup");
            } else {
                int port = broker.port();
                broker.close();
                STARTED.remove(broker);
                Thread.sleep(downtime.toMillis());
                broker = AmqpBroker.start(root().resolve("broker"), port, true);
                STARTED.push(broker);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting the broker", e);
        }
    }

    /**
     * On the RabbitMQ of {@code TANDEM_AMQP_URI}: a virtual host of this test JVM's own, deleted when
     * it exits, so that no queue or leftover message of another module's tests (or of an earlier
     * run) reaches this one's consumers. Empty when {@code rabbitmqctl} cannot create one (not on
     * the PATH, another node): the tests then share the URI's own virtual host.
     */
    public static java.util.Optional<String> isolatedVirtualHost(String external) {
        URI uri = URI.create(external);
        if (!"localhost".equals(uri.getHost()) && !"127.0.0.1".equals(uri.getHost())) {
            return java.util.Optional.empty(); // rabbitmqctl would talk to the local node, not that one
        }
        String user = uri.getUserInfo() == null ? "guest" : uri.getUserInfo().split(":", 2)[0];
        String name = "tandem-test-" + java.util.UUID.randomUUID();
        try {
            rabbitmqctl("add_vhost", name);
            rabbitmqctl("set_permissions", "-p", name, user, ".*", ".*", ".*");
        } catch (RuntimeException | InterruptedException e) {
            System.err.println("test servers: no virtual host of our own on " + uri.getHost() + " (" + e.getMessage()
                    + "); sharing the default one");
            return java.util.Optional.empty();
        }
        root();
        STARTED.push(() -> rabbitmqctl("delete_vhost", name));
        return java.util.Optional.of(uri.getScheme() + "://" + uri.getRawAuthority() + "/" + name);
    }

    private static void rabbitmqctl(String... arguments) throws InterruptedException {
        String command = String.join(" ", arguments);
        List<String> line = new java.util.ArrayList<>(List.of("rabbitmqctl", "-q"));
        line.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("rabbitmqctl " + command + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rabbitmqctl " + command + " could not run (is it on the PATH?)", e);
        }
    }

    /** A mail catcher for the services' outgoing mail (SMTP, IMAP and the web inbox on free ports). */
    public static synchronized MailCatcher mail() {
        if (mail == null) {
            root();
            mail = MailCatcher.start(Ports.free(), Ports.free(), Ports.free());
            STARTED.push(mail);
        }
        return mail;
    }

    /**
     * The variables both services read, pointing at the test servers: hand them to the framework
     * as configuration ({@code @DynamicPropertySource}, a Quarkus test resource).
     */
    public static Map<String, String> environment() {
        PostgresServer db = postgres();
        Map<String, String> environment = new java.util.HashMap<>(mail().environment());
        environment.put("TANDEM_DB_URL", db.url().uri());
        environment.put("TANDEM_DB_USER", PostgresServer.USER);
        environment.put("TANDEM_DB_PASSWORD", PostgresServer.PASSWORD);
        environment.put("TANDEM_AMQP_URI", amqpUri());
        return Map.copyOf(environment);
    }

    private static Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("tandem-test-servers");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(TestServers::stopAll, "test-servers-stop"));
        }
        return root;
    }

    private static synchronized void stopAll() {
        while (!STARTED.isEmpty()) {
            try {
                STARTED.pop().close();
            } catch (Exception e) {
                System.err.println("test servers: while stopping: " + e.getMessage());
            }
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder; the OS cleans it eventually
        }
    }
}
