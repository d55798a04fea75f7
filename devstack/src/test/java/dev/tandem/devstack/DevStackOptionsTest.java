package dev.tandem.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevStackOptionsTest {

    private static final Path ROOT = Path.of("/projects/tandem");

    @Test
    void defaultsMatchTheServicesDefaults() {
        DevStackOptions options = DevStackOptions.parse(new String[0], Map.of(), ROOT);

        assertThat(options.home()).isEqualTo(ROOT.resolve(".devstack"));
        assertThat(options.pgPort()).isEqualTo(5432);
        assertThat(options.amqpPort()).isEqualTo(5672);
        assertThat(options.corePort()).isEqualTo(8080);
        assertThat(options.hotPathPort()).isEqualTo(8081);
        assertThat(options.services()).isTrue();
        assertThat(options.demoData()).isTrue();
        assertThat(options.reset()).isFalse();
        assertThat(options.externalAmqpUri()).isEmpty();
        assertThat(options.readyTimeout()).isEqualTo(Duration.ofSeconds(180));
    }

    @Test
    void readsEveryOption() {
        DevStackOptions options = DevStackOptions.parse(
                new String[] {
                    "--reset",
                    "--no-services",
                    "--no-demo-data",
                    "--quiet",
                    "--pg-port",
                    "15432",
                    "--amqp-port",
                    "15672",
                    "--smtp-port",
                    "2525",
                    "--imap-port",
                    "1143",
                    "--mail-port",
                    "18025",
                    "--core-port",
                    "9080",
                    "--hot-path-port",
                    "9081",
                    "--ready-timeout",
                    "30",
                    "--data-dir",
                    "/tmp/stack"
                },
                Map.of(),
                ROOT);

        assertThat(options.reset()).isTrue();
        assertThat(options.services()).isFalse();
        assertThat(options.demoData()).isFalse();
        assertThat(options.echoLogs()).isFalse();
        assertThat(options.pgPort()).isEqualTo(15432);
        assertThat(options.amqpPort()).isEqualTo(15672);
        assertThat(options.smtpPort()).isEqualTo(2525);
        assertThat(options.imapPort()).isEqualTo(1143);
        assertThat(options.mailWebPort()).isEqualTo(18025);
        assertThat(options.corePort()).isEqualTo(9080);
        assertThat(options.hotPathPort()).isEqualTo(9081);
        assertThat(options.readyTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.home()).isEqualTo(Path.of("/tmp/stack"));
    }

    @Test
    void aRealBrokerReplacesTheEmbeddedOne() {
        DevStackOptions options =
                DevStackOptions.parse(new String[0], Map.of("TANDEM_AMQP_URI", "amqp://u:p@rabbit:5672"), ROOT);

        assertThat(options.externalAmqpUri()).contains("amqp://u:p@rabbit:5672");
    }

    @Test
    void refusesWhatItDoesNotUnderstand() {
        assertThatThrownBy(() -> DevStackOptions.parse(new String[] {"--frobnicate"}, Map.of(), ROOT))
                .hasMessage("unknown option: --frobnicate");
        assertThatThrownBy(() -> DevStackOptions.parse(new String[] {"--pg-port", "lots"}, Map.of(), ROOT))
                .hasMessage("--pg-port needs a number: lots");
        assertThatThrownBy(() -> DevStackOptions.parse(new String[] {"--core-port", "70000"}, Map.of(), ROOT))
                .hasMessage("--core-port must be between 1 and 65535: 70000");
        assertThatThrownBy(() -> DevStackOptions.parse(new String[] {"--data-dir"}, Map.of(), ROOT))
                .hasMessage("--data-dir needs a value");
    }
}
