package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminObjects.Outcome;
import dev.tandem.core.admin.ModelAdmin.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin's pages for every registered entity. Each handler checks the caller's permission for
 * what it does before doing anything (the menu only mirrors these checks): view for lists, forms,
 * history and export; add, change and delete for the writes.
 */
@Controller
class AdminController {

    /** Entries of "recent actions" on the home page, and of an object's history. */
    static final int RECENT = 15;

    static final int HISTORY = 200;
    static final String DELETE_SELECTED = "delete_selected";

    private final AdminSite site;
    private final ChangeLists lists;
    private final AdminObjects objects;
    private final AdminForms forms;
    private final AuditLog audit;
    private final CascadePreview cascade;
    private final CsvExport csv;

    AdminController(
            AdminSite site,
            ChangeLists lists,
            AdminObjects objects,
            AdminForms forms,
            AuditLog audit,
            CascadePreview cascade,
            CsvExport csv) {
        this.site = site;
        this.lists = lists;
        this.objects = objects;
        this.forms = forms;
        this.audit = audit;
        this.cascade = cascade;
        this.csv = csv;
    }

    @GetMapping("/admin")
    String home(Authentication caller, Model model) {
        List<String> visible = site.models().stream()
                .filter(m -> AdminSite.can(caller, m, Operation.VIEW))
                .map(m -> m.name)
                .toList();
        model.addAttribute("recent", audit.recent(visible, RECENT));
        return "admin/home";
    }

    // ---- change list, export, look-up

    @GetMapping("/admin/{name}")
    String list(
            @PathVariable String name,
            @RequestParam MultiValueMap<String, String> params,
            Authentication caller,
            Model model) {
        AdminModel<?> admin = require(name, caller, Operation.VIEW);
        ListRequest request = new ListRequest(admin, params);
        model.addAttribute("admin", admin);
        model.addAttribute("search", request.search);
        model.addAttribute("filtered", request.filtered());
        model.addAttribute("list", lists.view(request));
        model.addAttribute("actions", actions(admin, caller));
        model.addAttribute("exportUrl", request.exportUrl());
        model.addAttribute("state", request.state());
        model.addAttribute("canAdd", AdminSite.can(caller, admin, Operation.ADD));
        return "admin/list";
    }

    @GetMapping("/admin/{name}/export.csv")
    ResponseEntity<StreamingResponseBody> export(
            @PathVariable String name, @RequestParam MultiValueMap<String, String> params, Authentication caller) {
        AdminModel<?> admin = require(name, caller, Operation.VIEW);
        ListRequest request = new ListRequest(admin, params);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".csv\"")
                .body(out -> csv.write(request, out));
    }

    @GetMapping("/admin/{name}/lookup")
    String lookup(
            @PathVariable String name, @RequestParam(defaultValue = "") String q, Authentication caller, Model model) {
        AdminModel<?> admin = require(name, caller, Operation.VIEW);
        String words = q.replace("\0", "");
        model.addAttribute("options", words.isBlank() ? List.of() : forms.lookup(admin, words, 20));
        return "admin/lookup :: options";
    }

    // ---- add and change

    @GetMapping("/admin/{name}/add")
    String addForm(
            @PathVariable String name, @RequestParam Map<String, String> initial, Authentication caller, Model model) {
        AdminModel<?> admin = require(name, caller, Operation.ADD);
        Map<String, String> values = new LinkedHashMap<>();
        initial.forEach((field, value) -> {
            if (admin.fields.containsKey(field)) {
                values.put(field, value);
            }
        });
        return form(admin, null, values, Map.of(), null, true, model);
    }

    @PostMapping("/admin/{name}/add")
    String add(
            @PathVariable String name,
            @RequestParam MultiValueMap<String, String> form,
            Authentication caller,
            Model model,
            RedirectAttributes redirect) {
        AdminModel<?> admin = require(name, caller, Operation.ADD);
        Outcome outcome = objects.add(admin, form, caller);
        if (!outcome.ok()) {
            model.addAttribute(
                    "problem", outcome.problem() != null ? outcome.problem() : "Please correct the errors below.");
            return form(admin, null, submitted(admin, form), outcome.errors(), null, true, model);
        }
        redirect.addFlashAttribute("notice", "The " + admin.name.replace('_', ' ') + " was added.");
        return "redirect:" + afterSave(admin, outcome.id(), form, caller);
    }

    @GetMapping("/admin/{name}/{id}")
    String changeForm(@PathVariable String name, @PathVariable String id, Authentication caller, Model model) {
        AdminModel<?> admin = require(name, caller, Operation.VIEW);
        AdminObjects.Loaded loaded = load(admin, id, caller);
        return form(admin, loaded, loaded.values(), Map.of(), loaded.token(), writable(admin, loaded, caller), model);
    }

    @PostMapping("/admin/{name}/{id}")
    String change(
            @PathVariable String name,
            @PathVariable String id,
            @RequestParam(name = "_token", defaultValue = "") String token,
            @RequestParam(name = "_opened", defaultValue = "0") long opened,
            @RequestParam MultiValueMap<String, String> form,
            Authentication caller,
            Model model,
            RedirectAttributes redirect) {
        AdminModel<?> admin = require(name, caller, Operation.CHANGE);
        Outcome outcome = objects.change(admin, id, token, form, caller);
        if (outcome.stale()) {
            AdminObjects.Loaded current = load(admin, id, caller);
            model.addAttribute("conflict", conflict(admin, current, java.time.Instant.ofEpochMilli(opened)));
            return form(
                    admin,
                    current,
                    current.values(),
                    Map.of(),
                    current.token(),
                    writable(admin, current, caller),
                    model);
        }
        if (!outcome.ok()) {
            AdminObjects.Loaded current = load(admin, id, caller);
            model.addAttribute(
                    "problem", outcome.problem() != null ? outcome.problem() : "Please correct the errors below.");
            Map<String, String> values = new LinkedHashMap<>(current.values());
            values.putAll(submitted(admin, form));
            return form(admin, current, values, outcome.errors(), token, writable(admin, current, caller), model);
        }
        redirect.addFlashAttribute("notice", "The " + admin.name.replace('_', ' ') + " was changed.");
        return "redirect:" + afterSave(admin, id, form, caller);
    }

    private String form(
            AdminModel<?> admin,
            AdminObjects.@Nullable Loaded loaded,
            Map<String, String> values,
            Map<String, String> errors,
            @Nullable String token,
            boolean writable,
            Model model) {
        model.addAttribute("admin", admin);
        model.addAttribute("object", loaded);
        Authentication caller = org.springframework.security.core.context.SecurityContextHolder.getContext()
                .getAuthentication();
        model.addAttribute(
                "fieldsets",
                forms.fieldsets(admin, values, errors, writable, loaded == null, AdminSite.administrator(caller)));
        model.addAttribute("token", token);
        model.addAttribute("opened", System.currentTimeMillis());
        model.addAttribute("writable", writable);
        model.addAttribute(
                "canDelete", loaded != null && loaded.writable() && AdminSite.can(caller, admin, Operation.DELETE));
        if (loaded != null) {
            model.addAttribute("inlines", inlines(admin, loaded.id(), caller));
        }
        return "admin/form";
    }

    record InlineView(String label, String listUrl, ChangeLists.View list, boolean canAdd, String addUrl) {}

    private List<InlineView> inlines(AdminModel<?> admin, String id, Authentication caller) {
        List<InlineView> views = new ArrayList<>();
        for (ModelAdmin.Inline inline : admin.admin.inlines) {
            AdminModel<?> child = site.model(inline.child()).orElseThrow();
            if (!AdminSite.can(caller, child, Operation.VIEW)) {
                continue;
            }
            MultiValueMap<String, String> params = new LinkedMultiValueMap<>();
            params.add("f." + inline.reference(), id);
            ListRequest request = new ListRequest(child, params);
            views.add(new InlineView(
                    child.label,
                    request.url(Map.of()),
                    lists.view(request, false),
                    AdminSite.can(caller, child, Operation.ADD),
                    "/admin/" + child.name + "/add?" + inline.reference() + "=" + id));
        }
        return views;
    }

    /** Whether this caller's form for the object saves: the change permission and the registration's object rule. */
    private static boolean writable(AdminModel<?> admin, AdminObjects.Loaded loaded, Authentication caller) {
        return loaded.writable() && AdminSite.can(caller, admin, Operation.CHANGE);
    }

    /**
     * What a stale edit is told: who changed the object after the form was opened, when the admin's
     * history knows (a change made elsewhere, by hot-path or a sign-in, has no name to give).
     */
    private String conflict(AdminModel<?> admin, AdminObjects.Loaded current, java.time.Instant opened) {
        return audit.last(admin, current.id())
                        .filter(entry -> entry.at().isAfter(opened.minusSeconds(1)))
                        .map(entry -> entry.actor() + " changed this " + admin.name.replace('_', ' ') + " at "
                                + entry.when() + " UTC ("
                                + String.join(", ", entry.changes().keySet()) + ")")
                        .orElse("This " + admin.name.replace('_', ' ')
                                + " was changed (outside the admin, or by someone else)")
                + " after you opened it. Your changes were not saved, so as not to overwrite theirs: the form now"
                + " shows the current values; make your change again.";
    }

    /** The field values a refused form sent, to show them again (a checkbox that was not sent is off). */
    private static Map<String, String> submitted(AdminModel<?> admin, MultiValueMap<String, String> form) {
        Map<String, String> values = new LinkedHashMap<>();
        for (AdminField field : admin.fields.values()) {
            if (!admin.editable(field)) {
                continue;
            }
            List<String> sent = form.getOrDefault(field.name, List.of());
            values.put(
                    field.name,
                    switch (field.kind) {
                        case MANY -> String.join(", ", sent);
                        case BOOLEAN ->
                            field.nullable
                                    ? (sent.isEmpty() ? "" : sent.getFirst())
                                    : Boolean.toString(!sent.isEmpty()
                                            && ("on".equals(sent.getFirst()) || "true".equals(sent.getFirst())));
                        case INSTANT -> sent.isEmpty() ? "" : sent.getFirst().replace('T', ' ');
                        default -> sent.isEmpty() ? "" : sent.getFirst();
                    });
        }
        return values;
    }

    private String afterSave(
            AdminModel<?> admin, @Nullable String id, MultiValueMap<String, String> form, Authentication caller) {
        if (form.containsKey("_continue") && id != null) {
            return "/admin/" + admin.name + "/" + id;
        }
        if (form.containsKey("_addanother")) {
            return "/admin/" + admin.name + "/add";
        }
        return AdminSite.can(caller, admin, Operation.VIEW) ? "/admin/" + admin.name : "/admin";
    }

    // ---- delete

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

    // ---- history

    @GetMapping("/admin/{name}/{id}/history")
    String history(@PathVariable String name, @PathVariable String id, Authentication caller, Model model) {
        AdminModel<?> admin = require(name, caller, Operation.VIEW);
        model.addAttribute("admin", admin);
        model.addAttribute("objectId", id);
        model.addAttribute(
                "object",
                objects.load(admin, id, AdminSite.administrator(caller)).orElse(null));
        model.addAttribute("entries", audit.of(admin, id, HISTORY));
        return "admin/history";
    }

    // ---- bulk actions

    record ActionView(String name, String label) {}

    private static List<ActionView> actions(AdminModel<?> admin, Authentication caller) {
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

    // ---- helpers

    private AdminModel<?> require(String name, Authentication caller, Operation operation) {
        AdminModel<?> admin = site.model(name);
        AdminSite.require(caller, admin, operation);
        return admin;
    }

    private AdminObjects.Loaded load(AdminModel<?> admin, String id, Authentication caller) {
        return objects.load(admin, id, AdminSite.administrator(caller))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }
}
