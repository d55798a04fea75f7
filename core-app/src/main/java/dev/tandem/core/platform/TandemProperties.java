package dev.tandem.core.platform;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * core-app's own settings ({@code tandem.*}, from the {@code TANDEM_*} variables).
 *
 * @param publicUrl where users reach core-app (links in mail, token issuer)
 * @param hotPathUrl where clients reach hot-path-service (links to the API and its docs)
 * @param hotPathInternalUrl where core-app itself reaches hot-path-service's API
 * @param metricsToken the bearer token Prometheus presents; empty leaves the metrics open
 */
@Validated
@ConfigurationProperties("tandem")
public record TandemProperties(
        @NotNull URI publicUrl,
        @NotNull URI hotPathUrl,
        @NotNull URI hotPathInternalUrl,
        String metricsToken) {

    public TandemProperties {
        metricsToken = metricsToken == null ? "" : metricsToken;
    }
}
