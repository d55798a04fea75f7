package dev.tandem.hotpath.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the durable consumers and task workers are subscribed: until then, events and
 * tasks wait in their queues (nothing is lost), but a deployment should not count this instance in.
 */
@Readiness
@ApplicationScoped
class ConsumersHealth implements HealthCheck {

    private final Consumers consumers;

    ConsumersHealth(Consumers consumers) {
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("durable consumers")
                .status(consumers.connected())
                .build();
    }
}
