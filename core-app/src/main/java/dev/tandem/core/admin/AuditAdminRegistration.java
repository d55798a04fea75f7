package dev.tandem.core.admin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The admin's own history as a view-only entity: who changed what, searchable and filterable. */
@Configuration(proxyBeanMethods = false)
class AuditAdminRegistration {

    @Bean
    ModelAdmin<AuditEntry> logEntryAdmin() {
        return ModelAdmin.of(AuditEntry.class)
                .named("log_entry")
                .label("Log entries")
                .list("occurredAt", "actorEmail", "action", "entity", "objectRepr", "note")
                .search("actorEmail", "objectRepr", "objectId", "note")
                .filters("action", "entity", "occurredAt")
                .dateHierarchy("occurredAt")
                .ordering("-occurredAt")
                .display("objectRepr")
                .only(ModelAdmin.Operation.VIEW)
                .build();
    }
}
