package dev.tandem.core.admin;

import dev.tandem.core.admin.ModelAdmin.Operation;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The admin layout's menu: the entities the signed-in staff member may see, and whether they may add to each. */
// The dead-letter pages (messaging) are drawn in the admin's layout too.
@ControllerAdvice(basePackages = {"dev.tandem.core.admin", "dev.tandem.core.messaging"})
class AdminLayoutAdvice {

    record NavItem(String name, String label, boolean canAdd) {}

    private final AdminSite site;

    AdminLayoutAdvice(AdminSite site) {
        this.site = site;
    }

    @ModelAttribute("adminNav")
    List<NavItem> nav(@Nullable Authentication caller) {
        if (caller == null) {
            return List.of();
        }
        return site.models().stream()
                .filter(model -> AdminSite.can(caller, model, Operation.VIEW))
                .map(model -> new NavItem(model.name, model.label, AdminSite.can(caller, model, Operation.ADD)))
                .toList();
    }
}
