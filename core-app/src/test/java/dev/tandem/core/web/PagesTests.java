package dev.tandem.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

class PagesTests extends IntegrationTest {

    @Autowired
    MockMvcTester mvc;

    @Test
    void theLandingPageHasTheSharedLayout() {
        MvcTestResult page = mvc.get().uri("/").accept(MediaType.TEXT_HTML).exchange();

        assertThat(page).hasStatusOk();
        assertThat(page)
                .bodyText()
                .contains("<header class=\"site-header")
                .contains("<nav class=\"navbar")
                .contains("<footer class=\"site-footer")
                .contains("Build the product. Keep the hot paths fast.")
                .containsPattern("/webjars/bootstrap/[0-9.]+/css/bootstrap.min.css");
    }

    @Test
    void theBootstrapWebJarIsServed() {
        assertThat(mvc.get().uri("/webjars/bootstrap/css/bootstrap.min.css")).hasStatusOk();
    }
}
