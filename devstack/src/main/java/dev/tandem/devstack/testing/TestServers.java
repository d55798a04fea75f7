package dev.tandem.devstack.testing;

import dev.tandem.devstack.AmqpBroker;
import dev.tandem.devstack.MailCatcher;
import dev.tandem.devstack.Ports;
import dev.tandem.devstack.PostgresServer;
import dev.tandem.schema.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
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
                amqpUri = external;
            } else {
                AmqpBroker broker = AmqpBroker.start(root().resolve("broker"), Ports.free(), false);
                STARTED.push(broker);
                amqpUri = broker.uri();
            }
        }
        return amqpUri;
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
