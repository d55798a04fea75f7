package dev.tandem.hotpath.inference;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the models are loaded: until then the inference endpoints answer 503. */
@Readiness
@ApplicationScoped
class ModelsHealth implements HealthCheck {

    private final Embeddings embeddings;

    ModelsHealth(Embeddings embeddings) {
        this.embeddings = embeddings;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("models").status(embeddings.ready());
        embeddings.failure().ifPresent(failure -> response.withData("error", String.valueOf(failure.getMessage())));
        return response.build();
    }
}
