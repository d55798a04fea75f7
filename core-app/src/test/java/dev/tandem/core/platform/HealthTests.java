package dev.tandem.core.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

import dev.tandem.core.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

class HealthTests extends IntegrationTest {

    @Autowired
    MockMvcTester mvc;

    @Test
    void readinessCoversTheDatabaseAndTheBroker() {
        assertThat(mvc.get().uri("/actuator/health/readiness").with(user("operator")))
                .hasStatusOk()
                .bodyJson()
                .satisfies(json -> {
                    assertThat(json).extractingPath("$.status").isEqualTo("UP");
                    assertThat(json).extractingPath("$.components.db.status").isEqualTo("UP");
                    assertThat(json)
                            .extractingPath("$.components.rabbit.status")
                            .isEqualTo("UP");
                });
    }

    @Test
    void anonymousProbesSeeTheStatusOnly() {
        assertThat(mvc.get().uri("/actuator/health/readiness"))
                .hasStatusOk()
                .bodyJson()
                .satisfies(json -> {
                    assertThat(json).extractingPath("$.status").isEqualTo("UP");
                    assertThat(json).doesNotHavePath("$.components");
                });
    }

    @Test
    void livenessAndMetricsAreServed() {
        assertThat(mvc.get().uri("/actuator/health/liveness")).hasStatusOk();
        assertThat(mvc.get().uri("/actuator/prometheus")).hasStatusOk();
    }
}
