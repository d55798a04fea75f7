package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminField.Kind;
import dev.tandem.core.admin.AuditLog.Change;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What an object looks like to the admin: each field formatted as everywhere else (the form's
 * values, the history's diff), the fingerprint a save must bring back, and how it is named.
 */
@Component
class ObjectSnapshots {

    @PersistenceContext
    private EntityManager entities;

    /** Each shown field's value, formatted as everywhere else in the admin. */
    Map<String, String> snapshot(AdminModel<?> model, Object entity) {
        Map<String, String> values = new LinkedHashMap<>();
        for (AdminField field : model.fields.values()) {
            values.put(field.name, field.format(raw(field, entity)));
        }
        return values;
    }

    /** A field's value with references as their ids (so a snapshot loads nothing more than the ids). */
    @Nullable
    Object raw(AdminField field, Object entity) {
        Object value = get(field, entity);
        if (value == null) {
            return null;
        }
        if (field.kind == Kind.REFERENCE) {
            return entities.getEntityManagerFactory().getPersistenceUnitUtil().getIdentifier(value);
        }
        if (field.kind == Kind.MANY && field.target != null) {
            List<String> ids = new ArrayList<>();
            for (Object element : (Collection<?>) value) {
                ids.add(String.valueOf(entities.getEntityManagerFactory()
                        .getPersistenceUnitUtil()
                        .getIdentifier(element)));
            }
            return ids;
        }
        return value;
    }

    static @Nullable Object get(AdminField field, Object entity) {
        try {
            return field.member.get(entity);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fingerprint of what the form was built from: a save whose fingerprint no longer matches is stale. */
    static String token(Map<String, String> snapshot) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            snapshot.forEach((name, value) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(value.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The history's diff: every shown field but the version, which changes with every write. */
    static Map<String, Change> diff(AdminModel<?> model, Map<String, String> before, Map<String, String> after) {
        Map<String, Change> changes = AuditLog.diff(before, after);
        model.fields.values().stream().filter(field -> field.version).forEach(field -> changes.remove(field.name));
        return changes;
    }

    String repr(AdminModel<?> model, Object entity) {
        String display = AdminField.shorten(model.display.format(raw(model.display, entity)));
        String id = model.id.format(raw(model.id, entity));
        return display.equals(id) ? model.label + " #" + id : display;
    }
}
