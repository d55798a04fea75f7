package dev.tandem.core.identity.groups;

import dev.tandem.core.admin.ModelAdmin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Groups in the staff admin: a name, a description, and permissions picked from every registered entity's operations. */
@Configuration(proxyBeanMethods = false)
class GroupAdminRegistration {

    @Bean
    ModelAdmin<Group> groupAdmin(ObjectProvider<ModelAdmin<?>> registrations) {
        return ModelAdmin.of(Group.class)
                .list("name", "description", "createdAt")
                .search("name", "description")
                .ordering("name")
                // Else a member of a group could tick every permission for themselves.
                .administratorWrites()
                .choices(
                        "permissions",
                        () -> registrations
                                .orderedStream()
                                .flatMap(admin -> admin.permissions().stream())
                                .sorted()
                                .toList())
                .build();
    }
}
