package dev.tandem.devstack;

/** What devstack prints once everything is ready: where things are, and how to log in. */
final class Banner {

    private Banner() {}

    static String of(
            DevStackOptions options, PostgresServer postgres, String amqpUri, MailCatcher mail, String readyIn) {
        String core = "http://localhost:" + options.corePort();
        String hot = "http://localhost:" + options.hotPathPort();
        StringBuilder banner = new StringBuilder("\n");
        banner.append("Tandem is running (ready in ").append(readyIn).append(")\n");
        if (options.services()) {
            banner.append(row("web UI (core-app)", core));
            banner.append(row("API (hot-path-service)", hot + "/api/v1/users/1"));
            banner.append(row("API docs (Swagger UI)", hot + "/q/swagger-ui"));
            banner.append(row("health", core + "/actuator/health   " + hot + "/q/health"));
        }
        banner.append(row(
                "PostgreSQL",
                postgres.url().uri() + "  (user " + PostgresServer.USER + ", password " + PostgresServer.PASSWORD
                        + ")"));
        banner.append(row(
                "AMQP broker",
                options.externalAmqpUri().isPresent()
                        ? redact(amqpUri) + "  (from TANDEM_AMQP_URI)"
                        : amqpUri + "  (embedded Qpid Broker-J)"));
        banner.append(row("mail inbox", "http://localhost:" + mail.webPort() + "  (every mail the services send)"));
        banner.append(row(
                "mail catcher",
                "SMTP localhost:" + mail.smtpPort() + ", IMAP localhost:" + mail.imapPort()
                        + " (log in as any address, any password)"));
        if (options.demoData()) {
            banner.append(row("demo user", DemoData.DEMO.email() + " / " + DemoData.DEMO.password()));
            banner.append(row("demo staff admin", DemoData.ADMIN.email() + " / " + DemoData.ADMIN.password()));
        }
        banner.append(row("data and logs", options.home() + "  (--reset starts over)"));
        banner.append("Press Ctrl-C to stop.\n");
        return banner.toString();
    }

    private static String row(String label, String value) {
        return String.format("  %-24s %s%n", label, value);
    }

    static String redact(String uri) {
        return uri.replaceAll("://([^:@/]+):[^@/]*@", "://$1:***@");
    }
}
