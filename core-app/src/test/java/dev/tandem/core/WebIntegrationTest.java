package dev.tandem.core;

import dev.tandem.core.content.HotPathStandIn;
import dev.tandem.devstack.testing.TestServers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that drive core-app over real HTTP, as a browser does: the application on a
 * random port against the real PostgreSQL, AMQP broker and mail catcher of {@link TestServers},
 * with sessions in the database and cookies carried by {@link TestBrowser}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class WebIntegrationTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void testServers(DynamicPropertyRegistry registry) {
        TestServers.environment().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("tandem.hot-path-internal-url", HotPathStandIn::url);
    }

    /** A new browser with an empty cookie jar. */
    protected TestBrowser browser() {
        return new TestBrowser("http://localhost:" + port);
    }

    /** A browser signed in (by password) as this account, which has {@link TestAccounts#PASSWORD}. */
    protected TestBrowser signedIn(long userId) {
        String email = jdbc.sql("select email from users where id = ?")
                .param(userId)
                .query(String.class)
                .single();
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);
        return browser;
    }

    protected Mailbox mailbox() {
        return new Mailbox(TestServers.mail());
    }
}
