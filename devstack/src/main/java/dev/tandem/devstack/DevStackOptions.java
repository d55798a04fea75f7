package dev.tandem.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** devstack's command line, with the defaults that match the services' own. */
record DevStackOptions(
        Path projectRoot,
        Path home,
        boolean reset,
        boolean services,
        boolean demoData,
        boolean echoLogs,
        int pgPort,
        int amqpPort,
        int smtpPort,
        int imapPort,
        int mailWebPort,
        int corePort,
        int hotPathPort,
        Optional<String> externalAmqpUri,
        Duration readyTimeout,
        boolean help) {

    static final String USAGE = """
            Usage: ./tandem dev [options]

            Runs PostgreSQL, an AMQP broker, the migrations, demo data, a mail catcher, core-app and
            hot-path-service on this machine, with no Docker. Ctrl-C stops everything.

              --reset               delete the stack's data (database, broker, logs) first
              --no-services         run only PostgreSQL, the broker and the mail catcher
                                    (to run the services from an IDE)
              --no-demo-data        do not create the demo accounts and posts
              --quiet               keep the services' logs in .devstack/logs only
              --data-dir PATH       where data and logs live (default: <project>/.devstack)
              --pg-port N           PostgreSQL (default 5432)
              --amqp-port N         embedded AMQP broker (default 5672)
              --smtp-port N         mail catcher SMTP (default 3025)
              --imap-port N         mail catcher IMAP (default 3143)
              --mail-port N         mail catcher web inbox (default 8025)
              --core-port N         core-app HTTP (default 8080)
              --hot-path-port N     hot-path-service HTTP (default 8081)
              --ready-timeout S     seconds to wait for each service to be ready (default 180)
              --help                this text

            Environment: TANDEM_AMQP_URI=amqp://user:pass@host:5672/vhost uses that broker (e.g. a
            real RabbitMQ) instead of the embedded one.
            """;

    static DevStackOptions parse(String[] args, Map<String, String> env, Path projectRoot) {
        Path home = projectRoot.resolve(".devstack");
        boolean reset = false, services = true, demoData = true, echoLogs = true, help = false;
        int pg = 5432, amqp = 5672, smtp = 3025, imap = 3143, mailWeb = 8025, core = 8080, hot = 8081;
        Duration readyTimeout = Duration.ofSeconds(180);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--reset" -> reset = true;
                case "--no-services" -> services = false;
                case "--no-demo-data" -> demoData = false;
                case "--quiet" -> echoLogs = false;
                case "--help", "-h" -> help = true;
                case "--data-dir" -> home = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--pg-port" -> pg = port(args, ++i, arg);
                case "--amqp-port" -> amqp = port(args, ++i, arg);
                case "--smtp-port" -> smtp = port(args, ++i, arg);
                case "--imap-port" -> imap = port(args, ++i, arg);
                case "--mail-port" -> mailWeb = port(args, ++i, arg);
                case "--core-port" -> core = port(args, ++i, arg);
                case "--hot-path-port" -> hot = port(args, ++i, arg);
                case "--ready-timeout" -> readyTimeout = Duration.ofSeconds(number(args, ++i, arg, 1, 3600));
                default -> throw new IllegalArgumentException("unknown option: " + arg);
            }
        }
        Optional<String> external =
                Optional.ofNullable(env.get("TANDEM_AMQP_URI")).filter(uri -> !uri.isBlank());
        return new DevStackOptions(
                projectRoot,
                home,
                reset,
                services,
                demoData,
                echoLogs,
                pg,
                amqp,
                smtp,
                imap,
                mailWeb,
                core,
                hot,
                external,
                readyTimeout,
                help);
    }

    Path dataDirectory() {
        return home.resolve("data");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String[] args, int i, String option) {
        return number(args, i, option, 1, 65535);
    }

    private static int number(String[] args, int i, String option, int min, int max) {
        String value = value(args, i, option);
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ": " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number: " + value);
        }
    }
}
