package dev.tandem.core.web;

import dev.tandem.core.platform.TandemProperties;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What the layout shows on every page. */
@ControllerAdvice
class LayoutModelAdvice {

    private final String apiDocsUrl;

    LayoutModelAdvice(TandemProperties properties) {
        this.apiDocsUrl = properties.hotPathUrl().resolve("/q/swagger-ui").toString();
    }

    @ModelAttribute("apiDocsUrl")
    String apiDocsUrl() {
        return apiDocsUrl;
    }
}
