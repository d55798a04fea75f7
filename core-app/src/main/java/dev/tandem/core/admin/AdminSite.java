package dev.tandem.core.admin;

import dev.tandem.core.admin.ModelAdmin.Operation;
import jakarta.persistence.EntityManagerFactory;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Every registered entity, and who may do what with it: an {@code ADMIN} may do everything the
 * registration offers; anyone else exactly what their groups' {@code <entity>.<operation>}
 * permissions grant, where {@code change} also lets them see (as in Django).
 */
@Component
class AdminSite {

    static final String ADMIN_ROLE = "ROLE_ADMIN";

    private final Map<String, AdminModel<?>> models = new LinkedHashMap<>();
    private final Map<Class<?>, AdminModel<?>> byEntity = new LinkedHashMap<>();

    AdminSite(List<ModelAdmin<?>> registrations, EntityManagerFactory entityManagers) {
        registrations.stream().sorted(Comparator.comparing(ModelAdmin::name)).forEach(admin -> {
            AdminModel<?> model = new AdminModel<>(admin, entityManagers.getMetamodel());
            if (models.put(model.name, model) != null) {
                throw new IllegalStateException("two admins are named " + model.name);
            }
            byEntity.put(admin.entity, model);
        });
    }

    List<AdminModel<?>> models() {
        return List.copyOf(models.values());
    }

    /** Every permission the admin knows, for the groups' form: {@code <entity>.<operation>}. */
    List<String> permissions() {
        return models.values().stream()
                .flatMap(model ->
                        model.admin.operations.stream().sorted().map(operation -> model.name + "." + operation.code()))
                .toList();
    }

    /** The model named in a URL; 404 when there is none (what the caller may do with it is checked next). */
    AdminModel<?> model(String name) {
        AdminModel<?> model = models.get(name);
        if (model == null) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND);
        }
        return model;
    }

    /** The registered model a reference points at; null for other fields, or an unregistered target. */
    @Nullable
    AdminModel<?> target(AdminField field) {
        return field.kind == AdminField.Kind.REFERENCE && field.target != null ? byEntity.get(field.target) : null;
    }

    /** The model named in a URL if the caller may do {@code operation} with it: 404 when unknown, 403 when not allowed. */
    AdminModel<?> require(String name, Authentication caller, Operation operation) {
        AdminModel<?> model = model(name);
        require(caller, model, operation);
        return model;
    }

    Optional<AdminModel<?>> model(Class<?> entity) {
        return Optional.ofNullable(byEntity.get(entity));
    }

    @Nullable
    AdminModel<?> modelOfTable(String table) {
        return models.values().stream()
                .filter(m -> m.table.equals(table))
                .findFirst()
                .orElse(null);
    }

    static boolean can(Authentication caller, AdminModel<?> model, Operation operation) {
        if (!model.offers(operation)) {
            return false;
        }
        if (administrator(caller)) {
            return true;
        }
        if (model.admin.administratorWrites && operation != Operation.VIEW) {
            return false;
        }
        String prefix = model.name + ".";
        return has(caller, prefix + operation.code())
                || (operation == Operation.VIEW && has(caller, prefix + Operation.CHANGE.code()));
    }

    /** Refuses (403, the server's check, whatever the page showed) unless the caller may. */
    static void require(Authentication caller, AdminModel<?> model, Operation operation) {
        if (!can(caller, model, operation)) {
            throw new AccessDeniedException("no permission " + model.name + "." + operation.code());
        }
    }

    static boolean administrator(Authentication caller) {
        return has(caller, ADMIN_ROLE);
    }

    private static boolean has(Authentication caller, String authority) {
        for (GrantedAuthority granted : caller.getAuthorities()) {
            if (authority.equals(granted.getAuthority())) {
                return true;
            }
        }
        return false;
    }

    static long actorId(Authentication caller) {
        return Long.parseLong(caller.getName());
    }
}
