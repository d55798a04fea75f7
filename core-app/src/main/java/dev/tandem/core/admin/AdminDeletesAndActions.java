package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminObjects.Outcome;
import dev.tandem.core.admin.ModelAdmin.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin's deletes (one object, with the page that previews its cascade) and bulk actions on
 * selected rows (each behind a confirmation page). A delete is refused when the database would
 * refuse it, or when its cascade reaches rows of an entity the caller may not delete.
 */
@Controller
class AdminDeletesAndActions {

    static final String DELETE_SELECTED = "delete_selected";

    private final AdminSite site;
    private final AdminObjects objects;
    private final CascadePreview cascade;

    AdminDeletesAndActions(AdminSite site, AdminObjects objects, CascadePreview cascade) {
        this.site = site;
        this.objects = objects;
        this.cascade = cascade;
    }

    @GetMapping("/admin/{name}/{id}/delete")
    String deletePage(@PathVariable String name, @PathVariable String id, Authentication caller, Model model) {
        AdminModel<?> admin = require(name, caller, Operation.DELETE);
        AdminObjects.Loaded loaded = load(admin, id, caller);
        CascadePreview.Preview preview =
                cascade.preview(admin, List.of(AdminObjects.id(admin, id).orElseThrow()));
        model.addAttribute("admin", admin);
        model.addAttribute("object", loaded);
        model.addAttribute("preview", preview);
        model.addAttribute("forbidden", forbidden(admin, preview, caller));
        return "admin/delete";
    }

    @PostMapping("/admin/{name}/{id}/delete")
    String delete(
            @PathVariable String name,
            @PathVariable String id,
            @RequestParam(name = "_token", defaultValue = "") String token,
            Authentication caller,
            RedirectAttributes redirect) {
        AdminModel<?> admin = require(name, caller, Operation.DELETE);
        AdminObjects.Loaded loaded = load(admin, id, caller);
        Optional<String> refused = cascadeRefusal(admin, List.of(id), caller);
        if (refused.isPresent()) {
            redirect.addFlashAttribute("problem", refused.get());
            return "redirect:/admin/" + name + "/" + id + "/delete";
        }
        Outcome outcome = objects.delete(admin, List.of(id), token, "", caller);
        if (outcome.stale()) {
            redirect.addFlashAttribute(
                    "problem",
                    "This " + admin.name.replace('_', ' ')
                            + " changed after you opened the delete page; it was not deleted. Check it and try again.");
            return "redirect:/admin/" + name + "/" + id;
        }
        if (!outcome.ok()) {
            redirect.addFlashAttribute("problem", outcome.problem());
            return "redirect:/admin/" + name + "/" + id + "/delete";
        }
        redirect.addFlashAttribute("notice", "Deleted " + loaded.repr() + ".");
        return "redirect:" + (AdminSite.can(caller, admin, Operation.VIEW) ? "/admin/" + name : "/admin");
    }

    /**
     * The registered entities a delete would take with it that the caller may not delete (Django's
     * "perms needed"); an entity that offers no delete at all (attachments, whose bytes live in
     * hot-path's storage) is refused to everyone.
     */
    private List<String> forbidden(AdminModel<?> admin, CascadePreview.Preview preview, Authentication caller) {
        return preview.deleted().stream()
                .filter(effect -> !effect.table().equals(admin.table))
                .map(effect -> site.modelOfTable(effect.table()))
                .filter(java.util.Objects::nonNull)
                .filter(model -> !AdminSite.can(caller, model, Operation.DELETE))
                .map(model -> model.label)
                .distinct()
                .toList();
    }

    /** Why deleting these objects is refused (a reference that forbids it, or objects the caller may not delete), if it is. */
    private Optional<String> cascadeRefusal(AdminModel<?> admin, List<String> ids, Authentication caller) {
        CascadePreview.Preview preview = cascade.preview(
                admin,
                ids.stream().map(id -> AdminObjects.id(admin, id).orElseThrow()).toList());
        if (preview.blocked()) {
            return Optional.of("Not deleted: other rows refer to it and the database refuses to remove them.");
        }
        List<String> forbidden = forbidden(admin, preview, caller);
        return forbidden.isEmpty()
                ? Optional.empty()
                : Optional.of("Not deleted: it would also delete "
                        + String.join(", ", forbidden).toLowerCase(java.util.Locale.ROOT)
                        + ", which you may not delete.");
    }

    record ActionView(String name, String label) {}

    static List<ActionView> actions(AdminModel<?> admin, Authentication caller) {
        List<ActionView> actions = new ArrayList<>();
        if (AdminSite.can(caller, admin, Operation.DELETE)) {
            actions.add(new ActionView(
                    DELETE_SELECTED, "Delete selected " + admin.label.toLowerCase(java.util.Locale.ROOT)));
        }
        admin.admin.actions.stream()
                .filter(action -> AdminSite.can(caller, admin, action.requires()))
                .forEach(action -> actions.add(new ActionView(action.name(), action.label())));
        return actions;
    }

    @PostMapping("/admin/{name}/actions")
    @SuppressWarnings({"unchecked", "rawtypes"})
    String action(
            @PathVariable String name,
            @RequestParam(defaultValue = "") String action,
            @RequestParam(name = "ids", defaultValue = "") List<String> ids,
            @RequestParam(name = "confirmed", defaultValue = "false") boolean confirmed,
            @RequestParam MultiValueMap<String, String> params,
            Authentication caller,
            Model model,
            RedirectAttributes redirect) {
        AdminModel admin = require(name, caller, Operation.VIEW);
        MultiValueMap<String, String> state = new LinkedMultiValueMap<>();
        params.forEach((key, values) -> {
            if (key.equals("q")
                    || key.startsWith("f.")
                    || key.equals("o")
                    || key.equals("year")
                    || key.equals("month")
                    || key.equals("day")) {
                state.put(key, values);
            }
        });
        String back = new ListRequest(admin, state).url(Map.of());
        AdminAction<?> custom = ((List<AdminAction<?>>) admin.admin.actions)
                .stream().filter(a -> a.name().equals(action)).findFirst().orElse(null);
        if (!action.equals(DELETE_SELECTED) && custom == null) {
            redirect.addFlashAttribute("problem", "Choose an action.");
            return "redirect:" + back;
        }
        AdminSite.require(caller, admin, custom == null ? Operation.DELETE : custom.requires());
        List<String> selected = ids.stream()
                .filter(id -> !id.isBlank() && AdminObjects.id(admin, id).isPresent())
                .distinct()
                .toList();
        if (selected.isEmpty()) {
            redirect.addFlashAttribute("problem", "Select the rows to act on first: no rows were changed.");
            return "redirect:" + back;
        }
        if (!confirmed) {
            model.addAttribute("admin", admin);
            model.addAttribute("action", action);
            model.addAttribute(
                    "label",
                    custom == null
                            ? "Delete selected " + admin.label.toLowerCase(java.util.Locale.ROOT)
                            : custom.label());
            model.addAttribute("explanation", custom == null ? null : custom.explanation());
            model.addAttribute(
                    "selected",
                    selected.stream()
                            .map(id -> objects.load(admin, id, AdminSite.administrator(caller)))
                            .flatMap(Optional::stream)
                            .toList());
            model.addAttribute("state", state.toSingleValueMap());
            model.addAttribute("back", back);
            if (custom == null) {
                CascadePreview.Preview preview = cascade.preview(
                        admin,
                        selected.stream()
                                .map(id -> AdminObjects.id(admin, id).orElseThrow())
                                .toList());
                model.addAttribute("preview", preview);
                model.addAttribute("forbidden", forbidden(admin, preview, caller));
            }
            return "admin/action";
        }
        Optional<String> refused = custom == null ? cascadeRefusal(admin, selected, caller) : Optional.empty();
        if (refused.isPresent()) {
            redirect.addFlashAttribute("problem", refused.get());
            return "redirect:" + back;
        }
        Outcome outcome = custom == null
                ? objects.delete(admin, selected, null, "Action: delete selected", caller)
                : objects.run(admin, custom, selected, caller);
        if (!outcome.ok()) {
            redirect.addFlashAttribute("problem", outcome.problem());
        } else {
            redirect.addFlashAttribute(
                    "notice",
                    custom == null
                            ? "Deleted " + outcome.id() + " " + admin.label.toLowerCase(java.util.Locale.ROOT) + "."
                            : outcome.id());
        }
        return "redirect:" + back;
    }

    private AdminModel<?> require(String name, Authentication caller, Operation operation) {
        return site.require(name, caller, operation);
    }

    private AdminObjects.Loaded load(AdminModel<?> admin, String id, Authentication caller) {
        return objects.loadOr404(admin, id, caller);
    }
}
