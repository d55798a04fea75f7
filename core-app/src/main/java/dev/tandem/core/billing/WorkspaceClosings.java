package dev.tandem.core.billing;

import dev.tandem.core.messaging.EventConsumer;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.WorkspaceDeleted;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * A closed workspace stops paying (queue {@code core.billing-workspaces}): on {@code
 * workspace.deleted} its subscription ends at once with a final invoice for what is still owed.
 * Applied once per event (the inbox); an event for a workspace without a subscription changes nothing.
 */
@Component
class WorkspaceClosings implements EventConsumer {

    private final BillingService billing;

    WorkspaceClosings(BillingService billing) {
        this.billing = billing;
    }

    @Override
    public String queue() {
        return "core.billing-workspaces";
    }

    @Override
    public Set<EventType<?>> types() {
        return Set.of(Events.WORKSPACE_DELETED);
    }

    @Override
    public void apply(EventEnvelope<?> event) {
        billing.endForClosedWorkspace(((WorkspaceDeleted) event.data()).workspaceId());
    }
}
