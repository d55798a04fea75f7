package dev.tandem.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks that it agrees with the
 * code it deploys: the services and their start order, the images the build pushes, the ports the
 * apps listen on, and that every variable it sets is one the app reads (and the reverse for the
 * secrets production refuses to default).
 */
class ComposeFileTest {

    private static final Path ROOT = EmbeddedStackTest.projectRoot();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(TANDEM_[A-Z_]+)");

    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setMergeOnCompose(true);
        Map<String, Object> compose = new Yaml(options).load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void runsTheWholeSystem() {
        assertThat(services).containsOnlyKeys("postgres", "rabbitmq", "migrate", "core-app", "hot-path-service");
        assertThat(image("rabbitmq")).contains("management");
    }

    @Test
    void startsEachServiceOnlyWhenWhatItNeedsIsHealthyOrDone() {
        assertThat(dependsOn("migrate")).containsExactly(Map.entry("postgres", "service_healthy"));
        for (String app : List.of("core-app", "hot-path-service")) {
            assertThat(dependsOn(app))
                    .containsOnly(
                            Map.entry("postgres", "service_healthy"),
                            Map.entry("rabbitmq", "service_healthy"),
                            Map.entry("migrate", "service_completed_successfully"));
        }
        for (String service : List.of("postgres", "rabbitmq", "core-app", "hot-path-service")) {
            assertThat(services.get(service)).as(service).containsKey("healthcheck");
        }
    }

    @Test
    void runsTheImagesTheBuildPushes() throws IOException {
        assertThat(image("migrate")).endsWith("/tandem/migrate:" + projectVersion());
        assertThat(read("shared-schema/pom.xml")).contains("/migrate:${project.version}</image>");
        assertThat(image("core-app")).endsWith("/tandem/core-app:" + projectVersion());
        assertThat(read("core-app/pom.xml")).contains("/core-app:${project.version}</image>");
        assertThat(image("hot-path-service")).endsWith("/tandem/hot-path-service:" + projectVersion());
        assertThat(read("hot-path-service/pom.xml"))
                .contains("<quarkus.container-image.name>hot-path-service</quarkus.container-image.name>")
                .contains("<quarkus.container-image.tag>${project.version}</quarkus.container-image.tag>");
        assertThat(read("pom.xml")).contains("<image.group>tandem</image.group>");
    }

    @Test
    void publishesThePortsTheAppsListenOn() throws IOException {
        assertThat(services.get("core-app").get("ports")).isEqualTo(List.of("8080:8080"));
        assertThat(environment("core-app")).containsEntry("TANDEM_HTTP_PORT", "8080");
        assertThat(read("core-app/src/main/resources/application.yml")).contains("port: ${TANDEM_HTTP_PORT:8080}");
        assertThat(services.get("hot-path-service").get("ports")).isEqualTo(List.of("8081:8081"));
        assertThat(environment("hot-path-service")).containsEntry("TANDEM_HTTP_PORT", "8081");
        assertThat(read("hot-path-service/src/main/resources/application.properties"))
                .contains("quarkus.http.port=${TANDEM_HTTP_PORT:8081}");
        assertThat(String.valueOf(services.get("core-app").get("healthcheck"))).contains("/tcp/127.0.0.1/8080");
        assertThat(String.valueOf(services.get("hot-path-service").get("healthcheck")))
                .contains("/tcp/127.0.0.1/8081");
    }

    @Test
    void setsOnlyVariablesTheAppsRead() throws IOException {
        assertThat(tandemVariables("core-app")).isSubsetOf(variablesRead("core-app/src/main/resources"));
        assertThat(tandemVariables("hot-path-service"))
                .isSubsetOf(variablesRead("hot-path-service/src/main/resources"));
        assertThat(tandemVariables("migrate")).isSubsetOf(variablesRead("shared-schema/src/main/java"));
    }

    @Test
    void givesEachAppTheSettingsProductionRequires() {
        for (String app : List.of("core-app", "hot-path-service")) {
            assertThat(environment(app))
                    .as(app)
                    .containsKeys("TANDEM_DB_URL", "TANDEM_DB_USER", "TANDEM_DB_PASSWORD", "TANDEM_AMQP_URI");
            assertThat(environment(app).get("TANDEM_DB_URL")).startsWith("postgresql://postgres:5432/");
            // No trailing slash: "amqp://host:5672/" names the empty virtual host, not "/".
            assertThat(environment(app).get("TANDEM_AMQP_URI"))
                    .startsWith("amqp://tandem:")
                    .endsWith("@rabbitmq:5672");
        }
        assertThat(environment("core-app"))
                .containsKey("TANDEM_PUBLIC_URL")
                .containsEntry("SPRING_PROFILES_ACTIVE", "prod");
        assertThat(environment("hot-path-service")).containsEntry("QUARKUS_PROFILE", "prod");
        assertThat(environment("migrate")).containsKeys("TANDEM_DB_URL", "TANDEM_DB_USER", "TANDEM_DB_PASSWORD");
    }

    @Test
    void neverShipsASecretInTheFile() {
        Pattern secretName = Pattern.compile("PASS|SECRET|TOKEN|KEY");
        Pattern userInfo = Pattern.compile("://[^:/@]+:([^@]*)@");
        services.keySet().forEach(service -> {
            Map<String, String> environment = environment(service);
            if (environment == null) {
                return;
            }
            environment.forEach((name, value) -> {
                if (secretName.matcher(name).find()) {
                    // ${NAME:?message} or ${NAME?message}: compose refuses to start when it is unset
                    assertThat(value).as(service + " " + name).startsWith("${").contains("?");
                }
                Matcher credentials = userInfo.matcher(value);
                if (credentials.find()) {
                    assertThat(credentials.group(1))
                            .as(service + " " + name)
                            .startsWith("${")
                            .contains(":?");
                }
            });
        });
    }

    private static Set<String> tandemVariables(String service) {
        Set<String> names = new LinkedHashSet<>(environment(service).keySet());
        names.removeIf(name -> !name.startsWith("TANDEM_"));
        return names;
    }

    /** Sources and configuration; not the models and data files beside them. */
    private static boolean isText(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".java")
                || name.endsWith(".properties")
                || name.endsWith(".yml")
                || name.endsWith(".yaml")
                || name.endsWith(".xml")
                || name.endsWith(".html");
    }

    /** The TANDEM_* variables a module's configuration or code reads. */
    private static Set<String> variablesRead(String dir) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(ComposeFileTest::isText)
                    .toList()) {
                String text = Files.readString(file);
                Matcher placeholders = VARIABLE.matcher(text);
                while (placeholders.find()) {
                    names.add(placeholders.group(1));
                }
                Matcher lookups = Pattern.compile("\"(TANDEM_[A-Z_]+)\"").matcher(text);
                while (lookups.find()) {
                    names.add(lookups.group(1));
                }
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String service) {
        return (Map<String, String>) services.get(service).get("environment");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> dependsOn(String service) {
        Map<String, Map<String, String>> dependsOn =
                (Map<String, Map<String, String>>) services.get(service).get("depends_on");
        Map<String, String> conditions = new java.util.LinkedHashMap<>();
        dependsOn.forEach((name, spec) -> conditions.put(name, spec.get("condition")));
        return conditions;
    }

    private static String image(String service) {
        return (String) services.get(service).get("image");
    }

    private static String projectVersion() throws IOException {
        Matcher version = Pattern.compile("<artifactId>tandem</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(read("pom.xml"));
        assertThat(version.find()).isTrue();
        return version.group(1);
    }

    private static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }
}
