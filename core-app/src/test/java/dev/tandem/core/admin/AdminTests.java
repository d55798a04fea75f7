package dev.tandem.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.WebIntegrationTest;
import dev.tandem.core.identity.mfa.TestSecondFactor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The staff admin over real HTTP against the real database: who may do what (checked on the
 * server), the history's diffs, the delete page's cascade against what PostgreSQL then deletes,
 * CSV export, stale edits, validation, keyset paging and bulk actions.
 */
class AdminTests extends WebIntegrationTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"_token\" value=\"([0-9a-f]+)\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestAccounts accounts;

    @BeforeEach
    void accounts() {
        accounts = new TestAccounts(jdbc);
    }

    // ---- permissions

    @Test
    void eachPermissionGrantsExactlyItsOperationOnTheServer() {
        long author = accounts.active(TestAccounts.uniqueEmail("author"));
        TestBrowser admin = staff("ADMIN");
        for (String permission : List.of("", "post.view", "post.add", "post.change", "post.delete")) {
            TestBrowser staff = staff("STAFF", permission.isEmpty() ? new String[0] : new String[] {permission});
            long post = post(author, "Permission " + permission, "visible");
            long other = post(author, "Other " + permission, "visible");
            String token = token(admin.get("/admin/post/" + post).body());
            boolean view = permission.equals("post.view") || permission.equals("post.change");
            boolean add = permission.equals("post.add");
            boolean change = permission.equals("post.change");
            boolean delete = permission.equals("post.delete");

            Map<String, Boolean> expected = new LinkedHashMap<>();
            expected.put("GET list", view);
            expected.put("GET export", view);
            expected.put("GET form", view);
            expected.put("GET history", view);
            expected.put("GET add", add);
            expected.put("GET delete", delete);
            expected.put("POST change", change);
            expected.put("POST add", add);
            expected.put("POST action", change);
            expected.put("POST delete", delete);

            Map<String, Boolean> allowed = new LinkedHashMap<>();
            allowed.put("GET list", ok(staff.get("/admin/post")));
            allowed.put("GET export", ok(staff.get("/admin/post/export.csv")));
            allowed.put("GET form", ok(staff.get("/admin/post/" + post)));
            allowed.put("GET history", ok(staff.get("/admin/post/" + post + "/history")));
            allowed.put("GET add", ok(staff.get("/admin/post/add")));
            allowed.put("GET delete", ok(staff.get("/admin/post/" + post + "/delete")));
            allowed.put(
                    "POST change",
                    ok(post(
                            staff,
                            "/admin/post/" + post,
                            Map.of(
                                    "_token",
                                    token,
                                    "author",
                                    Long.toString(author),
                                    "title",
                                    "Changed by " + permission,
                                    "body",
                                    "",
                                    "moderation",
                                    "visible"))));
            allowed.put(
                    "POST add",
                    ok(post(
                            staff,
                            "/admin/post/add",
                            Map.of(
                                    "author",
                                    Long.toString(author),
                                    "title",
                                    "Added by " + permission,
                                    "body",
                                    "",
                                    "moderation",
                                    "visible"))));
            staff.get("/account");
            allowed.put(
                    "POST action",
                    ok(staff.post(
                            "/admin/post/actions",
                            List.of(
                                    Map.entry("action", "hold"),
                                    Map.entry("ids", Long.toString(other)),
                                    Map.entry("confirmed", "true")))));
            String current = token(admin.get("/admin/post/" + other).body());
            allowed.put("POST delete", ok(post(staff, "/admin/post/" + other + "/delete", Map.of("_token", current))));

            assertThat(allowed)
                    .as("what %s allows", permission.isEmpty() ? "no permission" : permission)
                    .isEqualTo(expected);
            assertThat(count("select count(*) from posts where title = ?", "Changed by " + permission))
                    .isEqualTo(change ? 1 : 0);
            assertThat(count("select count(*) from posts where title = ?", "Added by " + permission))
                    .isEqualTo(add ? 1 : 0);
            assertThat(count("select count(*) from posts where id = ? and moderation = 'held'", other))
                    .as("the action")
                    .isEqualTo(change ? 1 : 0);
            assertThat(count("select count(*) from posts where id = ?", other)).isEqualTo(delete ? 0 : 1);
            // The menu shows only what the permission opens.
            assertThat(staff.get("/admin").body().contains("href=\"/admin/post\""))
                    .isEqualTo(view);
        }
    }

    @Test
    void theAdminNeedsStaffAndTheSecondFactor() {
        long user = accounts.active(TestAccounts.uniqueEmail("plain"));
        assertThat(signedIn(user).get("/admin").status()).isEqualTo(403);

        String email = TestAccounts.uniqueEmail("no-mfa");
        accounts.active(email, "STAFF");
        TestBrowser staff = browser();
        staff.signIn(email, TestAccounts.PASSWORD);
        TestBrowser.Page page = staff.get("/admin/user");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location().orElseThrow()).contains("/account/mfa/setup");
    }

    // ---- history

    @Test
    void historyRecordsWhoChangedWhichFieldFromWhatToWhat() throws Exception {
        long author = accounts.active(TestAccounts.uniqueEmail("historian"));
        TestBrowser admin = staff("ADMIN");
        TestBrowser.Page added = admin.post(
                "/admin/post/add",
                Map.of(
                        "author",
                        Long.toString(author),
                        "title",
                        "First title",
                        "body",
                        "Some words",
                        "moderation",
                        "visible"));
        assertThat(added.status()).as(added.body()).isEqualTo(302);
        long post = jdbc.sql("select id from posts where author_id = ?")
                .param(author)
                .query(Long.class)
                .single();

        String token = token(admin.get("/admin/post/" + post).body());
        TestBrowser.Page changed = admin.post(
                "/admin/post/" + post,
                Map.of(
                        "_token",
                        token,
                        "author",
                        Long.toString(author),
                        "title",
                        "Second title",
                        "body",
                        "Some words",
                        "moderation",
                        "held"));
        assertThat(changed.status()).as(changed.body()).isEqualTo(302);
        admin.post(
                "/admin/post/" + post + "/delete",
                Map.of("_token", token(admin.get("/admin/post/" + post).body())));

        List<Map<String, Object>> rows = jdbc.sql(
                        "select action, actor_email, object_repr, changes::text as changes from audit_log"
                                + " where entity = 'post' and object_id = ? order by id")
                .param(Long.toString(post))
                .query()
                .listOfRows();
        assertThat(rows).extracting(r -> r.get("action")).containsExactly("added", "changed", "deleted");
        JsonNode add = JSON.readTree((String) rows.get(0).get("changes"));
        assertThat(add.path("title").path("from").isNull()).isTrue();
        assertThat(add.path("title").path("to").asString()).isEqualTo("First title");
        assertThat(add.path("author").path("to").asString()).isEqualTo(Long.toString(author));
        JsonNode change = JSON.readTree((String) rows.get(1).get("changes"));
        assertThat(change.propertyNames())
                .as("what changed (updatedAt too, when a second has passed), never the version")
                .contains("title", "moderation")
                .doesNotContain("version", "body", "author");
        assertThat(change.path("title").path("from").asString()).isEqualTo("First title");
        assertThat(change.path("title").path("to").asString()).isEqualTo("Second title");
        assertThat(change.path("moderation").path("from").asString()).isEqualTo("visible");
        assertThat(change.path("moderation").path("to").asString()).isEqualTo("held");
        JsonNode delete = JSON.readTree((String) rows.get(2).get("changes"));
        assertThat(delete.path("title").path("from").asString()).isEqualTo("Second title");
        assertThat(delete.path("title").path("to").isNull()).isTrue();
        assertThat(rows.get(1).get("object_repr")).isEqualTo("Second title");

        String history = admin.get("/admin/post/" + post + "/history").body();
        assertThat(history)
                .contains("First title")
                .contains("Second title")
                .contains("held")
                .contains("deleted");
        assertThat(admin.get("/admin").body()).contains("Second title");
        assertThat(count(
                        "select count(*) from outbox where event_type = 'admin.record_changed'"
                                + " and payload->'data'->>'table' = 'posts' and payload->'data'->>'recordId' = ?",
                        Long.toString(post)))
                .as("one event per write")
                .isEqualTo(3);
    }

    // ---- delete

    @Test
    void theDeletePageListsExactlyWhatTheDatabaseThenDeletes() {
        long doomed = accounts.active(TestAccounts.uniqueEmail("doomed"));
        long neighbour = accounts.active(TestAccounts.uniqueEmail("neighbour"));
        long ownPost = post(doomed, "Doomed post", "visible");
        long otherPost = post(doomed, "Doomed post two", "held");
        long neighbourPost = post(neighbour, "Neighbour post", "visible");
        comment(ownPost, neighbour, "neighbour on doomed");
        comment(ownPost, doomed, "doomed on own");
        comment(otherPost, neighbour, "neighbour on doomed two");
        comment(neighbourPost, doomed, "doomed on neighbour");
        comment(neighbourPost, neighbour, "neighbour on own");
        UUID kept = attachment(neighbour, ownPost);
        jdbc.sql("insert into mfa_recovery_codes (user_id, code_hash) values (?, ?)")
                .params(doomed, new byte[32])
                .update();

        TestBrowser admin = staff("ADMIN");
        Map<String, Long> before = tableCounts();
        String page = admin.get("/admin/user/" + doomed + "/delete").body();
        Map<String, Long> preview = new LinkedHashMap<>();
        Matcher effect = Pattern.compile("data-table=\"([a-z_]+)\" data-count=\"(\\d+)\"")
                .matcher(page);
        while (effect.find()) {
            preview.put(effect.group(1), Long.parseLong(effect.group(2)));
        }
        Matcher orphan = Pattern.compile("data-orphan-table=\"([a-z_]+)\" data-count=\"(\\d+)\"")
                .matcher(page);
        assertThat(orphan.find())
                .as("the neighbour's file on the doomed post is listed as orphaned")
                .isTrue();
        assertThat(orphan.group(1)).isEqualTo("attachments");
        assertThat(orphan.group(2)).isEqualTo("1");
        assertThat(page).contains("Doomed post").contains("Doomed post two");

        TestBrowser.Page deleted = admin.post(
                "/admin/user/" + doomed + "/delete",
                Map.of("_token", token(admin.get("/admin/user/" + doomed).body())));
        assertThat(deleted.status()).isEqualTo(302);

        Map<String, Long> after = tableCounts();
        Map<String, Long> gone = new LinkedHashMap<>();
        before.forEach((table, n) -> {
            if (n - after.get(table) > 0) {
                gone.put(table, n - after.get(table));
            }
        });
        assertThat(preview).as("preview vs what PostgreSQL deleted").isEqualTo(gone);
        assertThat(preview)
                .containsEntry("users", 1L)
                .containsEntry("posts", 2L)
                .containsEntry("comments", 4L)
                .containsEntry("mfa_recovery_codes", 1L)
                .doesNotContainKey("attachments");
        assertThat(jdbc.sql("select post_id is null from attachments where id = ?")
                        .param(kept)
                        .query(Boolean.class)
                        .single())
                .as("the file stays, unlinked")
                .isTrue();
    }

    @Test
    void aDeleteThatWouldTakeWhatTheCallerMayNotDeleteIsRefused() {
        long owner = accounts.active(TestAccounts.uniqueEmail("uploader"));
        long post = post(owner, "With a file", "visible");
        attachment(owner, post);
        TestBrowser admin = staff("ADMIN");

        // Attachments offer no delete (their bytes live in hot-path's storage): not even an administrator may take them
        // along.
        String page = admin.get("/admin/user/" + owner + "/delete").body();
        assertThat(page).contains("id=\"cascade-forbidden\"").contains("Attachments");
        assertThat(page).containsPattern("id=\"confirm-delete\"[^>]*disabled");
        TestBrowser.Page refused = post(
                admin,
                "/admin/user/" + owner + "/delete",
                Map.of("_token", token(admin.get("/admin/user/" + owner).body())));
        assertThat(refused.status()).isEqualTo(302);
        assertThat(count("select count(*) from users where id = ?", owner)).isEqualTo(1);

        // Staff who may delete users but not posts may not delete a user who wrote some.
        long writer = accounts.active(TestAccounts.uniqueEmail("writer"));
        post(writer, "Kept", "visible");
        TestBrowser staff = staff("STAFF", "user.delete", "user.view");
        assertThat(staff.get("/admin/user/" + writer + "/delete").body()).contains("Posts");
        post(
                staff,
                "/admin/user/" + writer + "/delete",
                Map.of("_token", token(admin.get("/admin/user/" + writer).body())));
        assertThat(count("select count(*) from users where id = ?", writer)).isEqualTo(1);
    }

    @Test
    void staffCannotHandThemselvesPowerOrTouchOtherStaff() {
        String email = TestAccounts.uniqueEmail("ambitious");
        TestBrowser staff = staff("STAFF", "user.change", "group.change", "group.view");
        long self = jdbc.sql("select id from users where email like 'staff-%' order by id desc limit 1")
                .query(Long.class)
                .single();
        long user = accounts.active(email);
        long colleague = accounts.active(TestAccounts.uniqueEmail("colleague"), "STAFF");

        // A plain account: the name may change, the role, email and groups are read-only for staff.
        String form = staff.get("/admin/user/" + user).body();
        assertThat(form)
                .contains("name=\"displayName\"")
                .doesNotContain("name=\"role\"")
                .doesNotContain("name=\"email\"");
        TestBrowser.Page renamed = post(
                staff,
                "/admin/user/" + user,
                Map.of("_token", token(form), "displayName", "Renamed", "role", "ADMIN", "email", "mine@example.com"));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(302);
        assertThat(jdbc.sql("select display_name || ' ' || role || ' ' || email from users where id = ?")
                        .param(user)
                        .query(String.class)
                        .single())
                .isEqualTo("Renamed USER " + email);

        // Another staff member's account, or their own: read-only, and a forged post is refused.
        String colleagueForm = staff.get("/admin/user/" + colleague).body();
        assertThat(colleagueForm).doesNotContain("id=\"save\"");
        TestBrowser.Page forged = post(
                staff, "/admin/user/" + colleague, Map.of("_token", token(colleagueForm), "displayName", "Hacked"));
        assertThat(forged.body()).contains("Only an administrator may change this user.");
        assertThat(count("select count(*) from users where id in (?, ?) and display_name = 'Hacked'", colleague, self))
                .isZero();

        // Groups are written by administrators only, whatever the staff member's group permissions say.
        assertThat(staff.get("/admin/group/add").status()).isEqualTo(403);
        long group = jdbc.sql("select group_id from user_groups where user_id = ?")
                .param(self)
                .query(Long.class)
                .single();
        assertThat(post(
                                staff,
                                "/admin/group/" + group,
                                Map.of("name", "x", "permissions", "user.delete", "_many_permissions", "drawn"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void savingAnUnchangedFormWritesNothing() {
        long author = accounts.active(TestAccounts.uniqueEmail("steady"));
        long post = jdbc.sql("insert into posts (author_id, title, body) values (?, 'Two lines', ?) returning id")
                .params(author, "first line\nsecond line\n")
                .query(Long.class)
                .single();
        TestBrowser admin = staff("ADMIN");
        String token = token(admin.get("/admin/post/" + post).body());
        // What a browser sends back for the textarea: CR LF line breaks.
        post(
                admin,
                "/admin/post/" + post,
                Map.of(
                        "_token",
                        token,
                        "author",
                        Long.toString(author),
                        "title",
                        "Two lines",
                        "body",
                        "first line\r\nsecond line\r\n",
                        "moderation",
                        "visible"));
        assertThat(jdbc.sql("select version from posts where id = ?")
                        .param(post)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(count("select count(*) from audit_log where entity = 'post' and object_id = ?", Long.toString(post)))
                .isZero();

        long user = accounts.pending(TestAccounts.uniqueEmail("untouched"));
        jdbc.sql("update users set email_verified_at = '2026-01-02 03:04:05.123456+00' where id = ?")
                .param(user)
                .update();
        String userForm = admin.get("/admin/user/" + user).body();
        long version = jdbc.sql("select version from users where id = ?")
                .param(user)
                .query(Long.class)
                .single();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_token", token(userForm));
        fields.put(
                "email",
                jdbc.sql("select email from users where id = ?")
                        .param(user)
                        .query(String.class)
                        .single());
        fields.put(
                "displayName",
                jdbc.sql("select display_name from users where id = ?")
                        .param(user)
                        .query(String.class)
                        .single());
        fields.put("emailVerifiedAt", "2026-01-02T03:04:05");
        fields.put("role", "USER");
        post(admin, "/admin/user/" + user, fields);
        assertThat(jdbc.sql("select version from users where id = ?")
                        .param(user)
                        .query(Long.class)
                        .single())
                .isEqualTo(version);
        assertThat(jdbc.sql("select email_verified_at = '2026-01-02 03:04:05.123456+00' from users where id = ?")
                        .param(user)
                        .query(Boolean.class)
                        .single())
                .as("microseconds kept")
                .isTrue();
    }

    // ---- export

    @Test
    void exportsTheFilteredListAsCsv() {
        long author = accounts.active(TestAccounts.uniqueEmail("exporter"));
        String tag = "csv" + UUID.randomUUID().toString().substring(0, 6);
        post(author, tag + " held one", "held");
        post(author, tag + " held, \"quoted\"", "held");
        post(author, "=HYPERLINK(" + tag + ")", "held");
        post(author, tag + " visible", "visible");
        TestBrowser admin = staff("ADMIN");

        TestBrowser.Page csv = admin.get("/admin/post/export.csv?q=" + tag + "&f.moderation=held");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("content-type")).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst())
                .isEqualTo(
                        "id,author,title,body,moderation,language,sentiment,spam,moderatedAt,createdAt,updatedAt,version");
        assertThat(lines).hasSize(4);
        assertThat(csv.body())
                .contains("\"" + tag + " held, \"\"quoted\"\"\"")
                .contains(",'=HYPERLINK(")
                .doesNotContain(tag + " visible");
    }

    // ---- stale edits and validation

    @Test
    void aStaleEditIsRefusedNotSilentlyOverwritten() {
        long author = accounts.active(TestAccounts.uniqueEmail("raced"));
        long post = post(author, "Original", "visible");
        TestBrowser first = staff("ADMIN");
        TestBrowser second = staff("ADMIN");
        String firstToken = token(first.get("/admin/post/" + post).body());
        String secondToken = token(second.get("/admin/post/" + post).body());

        assertThat(second.post("/admin/post/" + post, form(author, "Second wins", secondToken))
                        .status())
                .isEqualTo(302);
        TestBrowser.Page stale = first.post("/admin/post/" + post, form(author, "First loses", firstToken));

        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.body())
                .contains("id=\"conflict\"")
                .contains("Your changes were not saved")
                .contains("title");
        assertThat(jdbc.sql("select title from posts where id = ?")
                        .param(post)
                        .query(String.class)
                        .single())
                .isEqualTo("Second wins");
        assertThat(count("select count(*) from audit_log where entity = 'post' and object_id = ?", Long.toString(post)))
                .isEqualTo(1);
        // The refused form now carries the current values and a fresh token: saving again works.
        assertThat(first.post("/admin/post/" + post, form(author, "First, again", token(stale.body())))
                        .status())
                .isEqualTo(302);
    }

    @Test
    void invalidInputIsShownBesideItsFieldAndNothingIsWritten() {
        long author = accounts.active(TestAccounts.uniqueEmail("validated"));
        long post = post(author, "Valid", "visible");
        TestBrowser admin = staff("ADMIN");
        String token = token(admin.get("/admin/post/" + post).body());

        TestBrowser.Page refused = admin.post(
                "/admin/post/" + post,
                Map.of(
                        "_token",
                        token,
                        "author",
                        "999999999",
                        "title",
                        " ",
                        "body",
                        "x".repeat(40_001),
                        "moderation",
                        "visible"));

        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).contains("id=\"author-error\"").contains("There is no user with id 999999999");
        TestBrowser.Page blank = admin.post(
                "/admin/post/" + post,
                Map.of(
                        "_token",
                        token,
                        "author",
                        Long.toString(author),
                        "title",
                        " ",
                        "body",
                        "x".repeat(40_001),
                        "moderation",
                        "visible"));
        assertThat(blank.body()).contains("id=\"title-error\"").contains("id=\"body-error\"");
        assertThat(jdbc.sql("select title from posts where id = ?")
                        .param(post)
                        .query(String.class)
                        .single())
                .isEqualTo("Valid");

        // The database's own rules come back as a message, not an error page.
        long pending = accounts.pending(TestAccounts.uniqueEmail("unverified"));
        String userToken = token(admin.get("/admin/user/" + pending).body());
        String taken = jdbc.sql("select email from users where id = ?")
                .param(author)
                .query(String.class)
                .single();
        TestBrowser.Page constraint = admin.post(
                "/admin/user/" + pending,
                Map.of("_token", userToken, "email", taken.toUpperCase(), "displayName", "Unverified", "role", "USER"));
        assertThat(constraint.status()).isEqualTo(200);
        assertThat(constraint.body()).contains("users_email_key");
        assertThat(count(
                        "select count(*) from audit_log where object_id in (?, ?)",
                        Long.toString(post),
                        Long.toString(pending)))
                .isZero();
    }

    // ---- the change list

    @Test
    void aLargeListIsCountedByEstimateAndPagedByKeyset() {
        long author = accounts.active(TestAccounts.uniqueEmail("prolific"));
        jdbc.sql(
                        "insert into posts (author_id, title, body, created_at)"
                                + " select ?, 'Bulk ' || n, '', now() - n * interval '1 second' from generate_series(1, 25000) n")
                .param(author)
                .update();
        jdbc.sql("analyze posts").update();
        TestBrowser admin = staff("ADMIN");

        TestBrowser.Page first = admin.get("/admin/post?f.author=" + author);
        assertThat(first.body()).contains("≈");
        List<String> seen = new ArrayList<>(ids(first.body()));
        String next = nextLink(first.body());
        TestBrowser.Page second = admin.get(next);
        List<String> secondIds = ids(second.body());
        TestBrowser.Page third = admin.get(nextLink(second.body()));
        seen.addAll(secondIds);
        seen.addAll(ids(third.body()));
        assertThat(seen).hasSize(150).doesNotHaveDuplicates();
        List<Long> expected = jdbc.sql(
                        "select id from posts where author_id = ? order by created_at desc, id desc limit 150")
                .param(author)
                .query(Long.class)
                .list();
        assertThat(seen)
                .containsExactlyElementsOf(
                        expected.stream().map(String::valueOf).toList());
        TestBrowser.Page back = admin.get(link(third.body(), "prev"));
        assertThat(ids(back.body())).isEqualTo(secondIds);

        TestBrowser.Page filtered = admin.get("/admin/post?f.author=" + author + "&q=Bulk+1234");
        assertThat(ids(filtered.body())).hasSize(11);
    }

    @Test
    void badListParametersShowTheListAndBadAddressesAreNotFound() {
        TestBrowser admin = staff("ADMIN");
        for (String query : List.of(
                "year=2026&month=13",
                "year=2026&month=2&day=31",
                "year=99999",
                "after=garbage~1",
                "after=2026-11-26T00:00:00Z~not-a-number",
                "before=~",
                "f.createdAt=garbage",
                "f.author=abc",
                "f.moderation=nonsense",
                "f.passwordHash=x",
                "o=nosuch",
                "o=-body",
                "p=-3",
                "q=%25_%5C")) {
            TestBrowser.Page page = admin.get("/admin/post?" + query);
            assertThat(page.status()).as(query).isEqualTo(200);
            assertThat(page.body()).as(query).contains("id=\"result-count\"");
        }
        assertThat(admin.get("/admin/user?after=x~y").status()).isEqualTo(200);
        assertThat(admin.get("/admin/post/abc").status()).isEqualTo(404);
        assertThat(admin.get("/admin/post/999999999").status()).isEqualTo(404);
        assertThat(admin.get("/admin/post/abc/delete").status()).isEqualTo(404);
        assertThat(admin.get("/admin/attachment/not-a-uuid").status()).isEqualTo(404);
        assertThat(admin.get("/admin/nosuch").status()).isEqualTo(404);
        // View-only entities offer no writes, whoever asks.
        assertThat(admin.get("/admin/log_entry/add").status()).isEqualTo(403);
    }

    // ---- bulk actions

    @Test
    void bulkActionsAskFirstThenChangeEachRowAndRecordIt() {
        String pendingEmail = TestAccounts.uniqueEmail("waiting");
        long pending = accounts.pending(pendingEmail);
        long active = accounts.active(TestAccounts.uniqueEmail("active"));
        TestBrowser admin = staff("ADMIN");
        admin.get("/admin/user");

        TestBrowser.Page confirm = admin.post(
                "/admin/user/actions",
                List.of(
                        Map.entry("action", "deactivate"),
                        Map.entry("ids", Long.toString(pending)),
                        Map.entry("ids", Long.toString(active))));
        assertThat(confirm.status()).isEqualTo(200);
        assertThat(confirm.body()).contains("Deactivate selected users?").contains("id=\"confirm-action\"");
        assertThat(count("select count(*) from users where id in (?, ?) and status = 'DISABLED'", pending, active))
                .isZero();

        TestBrowser.Page done = admin.post(
                "/admin/user/actions",
                List.of(
                        Map.entry("action", "deactivate"), Map.entry("confirmed", "true"),
                        Map.entry("ids", Long.toString(pending)), Map.entry("ids", Long.toString(active))));
        assertThat(done.status()).isEqualTo(302);
        assertThat(count("select count(*) from users where id in (?, ?) and status = 'DISABLED'", pending, active))
                .isEqualTo(2);
        assertThat(count(
                        "select count(*) from audit_log where entity = 'user' and object_id in (?, ?)"
                                + " and note = 'Action: Deactivate selected users' and changes -> 'status' is not null",
                        Long.toString(pending),
                        Long.toString(active)))
                .isEqualTo(2);

        long another = accounts.pending(TestAccounts.uniqueEmail("resend"));
        String anotherEmail = jdbc.sql("select email from users where id = ?")
                .param(another)
                .query(String.class)
                .single();
        admin.get("/admin/user");
        admin.post(
                "/admin/user/actions",
                List.of(
                        Map.entry("action", "resend_verification"),
                        Map.entry("confirmed", "true"),
                        Map.entry("ids", Long.toString(another))));
        assertThat(mailbox().await(anotherEmail, "Confirm").text()).contains("/verify?token=");
    }

    // ---- helpers

    private TestBrowser staff(String role, String... permissions) {
        String email = TestAccounts.uniqueEmail(role.toLowerCase());
        long id = accounts.active(email, role.equals("ADMIN") ? "ADMIN" : "STAFF");
        if (permissions.length > 0) {
            long group = jdbc.sql("insert into groups (name) values (?) returning id")
                    .param("group-" + UUID.randomUUID())
                    .query(Long.class)
                    .single();
            for (String permission : permissions) {
                jdbc.sql("insert into group_permissions (group_id, permission) values (?, ?)")
                        .params(group, permission)
                        .update();
            }
            jdbc.sql("insert into user_groups (user_id, group_id) values (?, ?)")
                    .params(id, group)
                    .update();
        }
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);
        TestSecondFactor.enroll(browser);
        return browser;
    }

    private long post(long author, String title, String moderation) {
        return jdbc.sql("insert into posts (author_id, title, body, moderation) values (?, ?, '', ?) returning id")
                .params(author, title, moderation)
                .query(Long.class)
                .single();
    }

    private void comment(long post, long author, String body) {
        jdbc.sql("insert into comments (post_id, author_id, body) values (?, ?, ?)")
                .params(post, author, body)
                .update();
    }

    private UUID attachment(long owner, long post) {
        UUID id = UUID.randomUUID();
        jdbc.sql(
                        "insert into attachments (id, owner_id, post_id, storage_key, file_name, content_type, size_bytes, sha256)"
                                + " values (?, ?, ?, ?, 'a.txt', 'text/plain', 1, ?)")
                .params(id, owner, post, id.toString(), "0".repeat(64))
                .update();
        return id;
    }

    private Map<String, Long> tableCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : jdbc.sql("select tablename from pg_tables where schemaname = current_schema()"
                        + " and tablename not like 'flyway%' order by 1")
                .query(String.class)
                .list()) {
            counts.put(table, count("select count(*) from " + table));
        }
        return counts;
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }

    /** Posts with a fresh CSRF token (the last page may have been a refusal without one). */
    private static TestBrowser.Page post(TestBrowser browser, String path, Map<String, String> form) {
        browser.get("/account");
        return browser.post(path, form);
    }

    private static boolean ok(TestBrowser.Page page) {
        assertThat(page.status()).as(page.body()).isIn(200, 302, 403);
        return page.status() != 403;
    }

    private static String token(String page) {
        Matcher matcher = TOKEN.matcher(page);
        assertThat(matcher.find()).as("the form carries its token").isTrue();
        return matcher.group(1);
    }

    private static Map<String, String> form(long author, String title, String token) {
        return Map.of(
                "_token", token, "author", Long.toString(author), "title", title, "body", "", "moderation", "visible");
    }

    private static List<String> ids(String page) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = Pattern.compile("name=\"ids\" value=\"(\\d+)\"").matcher(page);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static String nextLink(String page) {
        return link(page, "next");
    }

    private static String link(String page, String rel) {
        Matcher matcher =
                Pattern.compile("rel=\"" + rel + "\"[^>]*href=\"([^\"]+)\"").matcher(page);
        assertThat(matcher.find()).as("a %s link", rel).isTrue();
        return matcher.group(1).replace("&amp;", "&");
    }
}
