package dev.tandem.core.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What the layout shows on every page. */
@ControllerAdvice
class LayoutModelAdvice {

    private final String apiDocsUrl;

    LayoutModelAdvice(@Value("${tandem.hot-path-url}") String hotPathUrl) {
        this.apiDocsUrl = hotPathUrl + "/q/swagger-ui";
    }

    @ModelAttribute("apiDocsUrl")
    String apiDocsUrl() {
        return apiDocsUrl;
    }
}
