package dev.tandem.core.billing;

import dev.tandem.core.messaging.EventConsumer;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.UsageRecorded;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Adds hot-path's metered usage to the ledger (queue {@code core.billing-usage}): each {@code
 * usage.recorded} event's increments in one statement, once (the inbox), per workspace (an
 * increment from before usage named its workspace counts against the account's personal one).
 * Increments of accounts that no longer exist are dropped, as hot-path drops them from its own
 * counters.
 */
@Component
class UsageLedger implements EventConsumer {

    private final JdbcClient jdbc;

    UsageLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String queue() {
        return "core.billing-usage";
    }

    @Override
    public Set<EventType<?>> types() {
        return Set.of(Events.USAGE_RECORDED);
    }

    @Override
    public void apply(EventEnvelope<?> event) {
        List<UsageRecorded.Entry> entries = ((UsageRecorded) event.data()).entries();
        jdbc.sql("""
                        insert into billing_usage (workspace_id, user_id, day, metric, quantity)
                        select w.id, e.user_id, e.day, e.metric, sum(e.quantity)
                        from unnest(?::bigint[], ?::bigint[], ?::text[]::date[], ?::text[], ?::bigint[])
                            as e(workspace_id, user_id, day, metric, quantity)
                        join users u on u.id = e.user_id
                        join workspaces w on w.id = coalesce(e.workspace_id,
                            (select p.id from workspaces p where p.personal_for = e.user_id))
                        group by w.id, e.user_id, e.day, e.metric
                        on conflict (workspace_id, user_id, day, metric)
                        do update set quantity = billing_usage.quantity + excluded.quantity, updated_at = now()
                        """)
                .params(
                        entries.stream().map(UsageRecorded.Entry::workspaceId).toArray(Long[]::new),
                        entries.stream().map(UsageRecorded.Entry::userId).toArray(Long[]::new),
                        entries.stream().map(entry -> entry.day().toString()).toArray(String[]::new),
                        entries.stream().map(UsageRecorded.Entry::metric).toArray(String[]::new),
                        entries.stream().map(UsageRecorded.Entry::quantity).toArray(Long[]::new))
                .update();
    }
}
