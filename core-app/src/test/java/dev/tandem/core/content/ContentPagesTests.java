package dev.tandem.core.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.TestBrowser.Page;
import dev.tandem.core.WebIntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class ContentPagesTests extends WebIntegrationTest {

    private TestAccounts accounts;

    @Autowired
    JwtDecoder tokens;

    @BeforeEach
    void accounts() {
        accounts = new TestAccounts(jdbc);
    }

    @Test
    void myPostsListsWhatTheAccountWroteWithCommentCounts() {
        long me = accounts.active(TestAccounts.uniqueEmail("writer"));
        long post = insertPost(me, "Read from the shared database");
        insertComment(post, me, "first");
        insertComment(post, me, "second");
        insertPost(accounts.active(TestAccounts.uniqueEmail("other")), "Someone else's");

        Page page = signedIn(me).get("/posts");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("Read from the shared database")
                .contains("2 comments")
                .doesNotContain("Someone else");
    }

    @Test
    void aPostPageShowsItsComments() {
        long me = accounts.active(TestAccounts.uniqueEmail("reader"));
        long post = insertPost(me, "With comments");
        insertComment(post, me, "A thoughtful <b>remark</b>");

        Page page = signedIn(me).get("/posts/" + post);

        assertThat(page.body())
                .contains("With comments")
                .contains("A thoughtful &lt;b&gt;remark&lt;/b&gt;")
                .contains("1 comment");
        assertThat(signedIn(me).get("/posts/999999999").status()).isEqualTo(404);
    }

    @Test
    void whatDisabledAccountsWroteIsHidden() {
        long me = accounts.active(TestAccounts.uniqueEmail("host"));
        long troll = accounts.active(TestAccounts.uniqueEmail("troll"));
        long mine = insertPost(me, "My post");
        insertComment(mine, me, "kept remark");
        insertComment(mine, troll, "hidden remark");
        long theirs = insertPost(troll, "Their post");
        jdbc.sql("update users set status = 'DISABLED' where id = ?")
                .param(troll)
                .update();

        assertThat(signedIn(me).get("/posts").body()).contains("1 comment").doesNotContain("2 comments");
        assertThat(signedIn(me).get("/posts/" + mine).body())
                .contains("kept remark")
                .doesNotContain("hidden remark");
        assertThat(signedIn(me).get("/posts/" + theirs).status()).isEqualTo(404);
    }

    @Test
    void whatModerationHeldIsShownToItsAuthorOnly() {
        long author = accounts.active(TestAccounts.uniqueEmail("held-author"));
        long reader = accounts.active(TestAccounts.uniqueEmail("held-reader"));
        // Both plain members of a team workspace: its owners and admins moderate, and see what is held.
        long team = teamOf(accounts.active(TestAccounts.uniqueEmail("held-owner")), author, reader);
        long held = insertPost(author, "Held for spam");
        jdbc.sql("update posts set moderation = 'held' where id = ?")
                .param(held)
                .update();
        long open = insertPost(author, "An open post");
        insertComment(open, reader, "ordinary remark");
        insertComment(open, reader, "spammy remark");
        jdbc.sql("update comments set moderation = 'held' where body = 'spammy remark' and post_id = ?")
                .param(open)
                .update();

        assertThat(signedIn(author).get("/posts").body())
                .contains("Held for spam")
                .contains("Held for review");
        assertThat(signedIn(author).get("/posts/" + held).body()).contains("id=\"post-held\"");
        assertThat(signedIn(reader).get("/posts/" + held).status()).isEqualTo(404);
        assertThat(signedIn(author).get("/posts/" + open).body())
                .contains("ordinary remark")
                .doesNotContain("spammy remark")
                .contains("1 comment");
        assertThat(signedIn(reader).get("/posts/" + open).body()).contains("spammy remark");
    }

    @Test
    void aNewPostGoesToTheApiAsTheUserWithTheFormsIdempotencyKey() {
        long me = accounts.active(TestAccounts.uniqueEmail("poster"));
        HotPathStandIn.answer(201, "{\"id\":4242,\"title\":\"Hello\"}");
        TestBrowser browser = signedIn(me);
        browser.get("/posts");

        Page done = browser.post(
                "/posts",
                Map.of("title", "Hello", "body", "From the web", "requestId", "2b7c1a52-4d1e-4f8a-9c3b-5e6f7a8b9c0d"));

        assertThat(done.location())
                .hasValueSatisfying(location -> assertThat(location).endsWith("/posts/4242"));
        HotPathStandIn.Received sent = HotPathStandIn.received().getFirst();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/api/v1/posts");
        assertThat(sent.body()).contains("\"title\":\"Hello\"").contains("\"body\":\"From the web\"");
        assertThat(header(sent, "Idempotency-Key")).isEqualTo("web-2b7c1a52-4d1e-4f8a-9c3b-5e6f7a8b9c0d");
        var token = tokens.decode(header(sent, "Authorization").substring("Bearer ".length()));
        assertThat(token.getSubject()).isEqualTo(Long.toString(me));
        assertThat(token.getClaimAsString("scope")).isEqualTo("content:write");
    }

    @Test
    void theApisFieldErrorsAppearOnTheForm() {
        long me = accounts.active(TestAccounts.uniqueEmail("refused"));
        HotPathStandIn.answer(422, """
                {"type":"https://tandem.dev/problems/validation","title":"Invalid input","status":422,
                 "detail":"The request has 1 invalid value(s); see errors.",
                 "errors":[{"pointer":"/title","detail":"must not contain that word"}]}""");
        TestBrowser browser = signedIn(me);
        browser.get("/posts");

        Page refused = browser.post(
                "/posts",
                Map.of("title", "Forbidden word", "body", "x", "requestId", "3c8d2b63-5e2f-4a9b-8d4c-6f7a8b9c0d1e"));

        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).contains("must not contain that word").contains("Forbidden word");
    }

    @Test
    void aReusedRequestIdGetsAFreshOneAndAWarning() {
        long me = accounts.active(TestAccounts.uniqueEmail("reused"));
        HotPathStandIn.answer(422, """
                {"title":"Unprocessable Content","status":422,
                 "detail":"This Idempotency-Key was used for a different request; use a new key."}""");
        TestBrowser browser = signedIn(me);
        browser.get("/posts");
        String used = "7a2b6f07-9c6d-4e3f-8b8a-0d1e2f3a4b5c";

        Page refused = browser.post("/posts", Map.of("title", "Edited", "body", "after a timeout", "requestId", used));

        assertThat(refused.body())
                .contains("may already be published")
                .contains("name=\"requestId\"")
                .doesNotContain(used);
    }

    @Test
    void aPostsCommentsArePaged() {
        long me = accounts.active(TestAccounts.uniqueEmail("chatty"));
        long post = insertPost(me, "Popular");
        for (int i = 1; i <= ContentReads.COMMENTS + 1; i++) {
            insertComment(post, me, "comment number " + i + ".");
        }
        TestBrowser browser = signedIn(me);

        Page first = browser.get("/posts/" + post);
        Page second = browser.get("/posts/" + post + "?page=2");

        assertThat(first.body())
                .contains("101 comments")
                .contains("comment number 1.")
                .doesNotContain("comment number 101.");
        assertThat(second.body()).contains("comment number 101.").doesNotContain("comment number 100.");
    }

    @Test
    void anUnreachableApiKeepsWhatWasTyped() {
        long me = accounts.active(TestAccounts.uniqueEmail("down"));
        HotPathStandIn.answer(503, "{\"status\":503,\"detail\":\"The content service is overloaded.\"}");
        TestBrowser browser = signedIn(me);
        browser.get("/posts");

        Page refused = browser.post(
                "/posts",
                Map.of(
                        "title",
                        "Keep me",
                        "body",
                        "typed with care",
                        "requestId",
                        "4d9e3c74-6f3a-4b0c-9e5d-7a8b9c0d1e2f"));

        assertThat(refused.body())
                .contains("The content service is overloaded.")
                .contains("Keep me")
                .contains("typed with care");
    }

    @Test
    void invalidFormsNeverReachTheApi() {
        long me = accounts.active(TestAccounts.uniqueEmail("blank"));
        HotPathStandIn.answer(201, "{\"id\":1}");
        TestBrowser browser = signedIn(me);
        browser.get("/posts");

        Page refused = browser.post(
                "/posts", Map.of("title", " ", "body", "", "requestId", "5e0f4d85-7a4b-4c1d-8f6e-8b9c0d1e2f3a"));

        assertThat(refused.body()).contains("Give your post a title.");
        assertThat(HotPathStandIn.received()).isEmpty();
    }

    @Test
    void unverifiedAccountsCannotPost() {
        String email = TestAccounts.uniqueEmail("unverified");
        accounts.pending(email);
        HotPathStandIn.answer(201, "{\"id\":1}");
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);
        browser.get("/posts");

        Page refused = browser.post(
                "/posts", Map.of("title", "t", "body", "b", "requestId", "6f1a5e96-8b5c-4d2e-9a7f-9c0d1e2f3a4b"));

        assertThat(refused.body()).contains("Confirm your email address before you post.");
        assertThat(HotPathStandIn.received()).isEmpty();
    }

    private static String header(HotPathStandIn.Received request, String name) {
        return request.headers().entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(entry -> entry.getValue().getFirst())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " header"));
    }

    /**
     * A team workspace owned by {@code owner} with the others as members, which they sign in to;
     * their posts written from here on go to it.
     */
    private long teamOf(long owner, long... members) {
        long team = jdbc.sql("insert into workspaces (name, slug) values ('Team', ?) returning id")
                .param("team-" + UUID.randomUUID().toString().substring(0, 8))
                .query(Long.class)
                .single();
        jdbc.sql("insert into workspace_members (workspace_id, user_id, role) values (?, ?, 'owner')")
                .params(team, owner)
                .update();
        for (long member : members) {
            jdbc.sql("insert into workspace_members (workspace_id, user_id, role) values (?, ?, 'member')")
                    .params(team, member)
                    .update();
            jdbc.sql("update users set last_workspace_id = ? where id = ?")
                    .params(team, member)
                    .update();
        }
        return team;
    }

    /** A post in the workspace the author uses (its last one, else its personal one). */
    private long insertPost(long authorId, String title) {
        return jdbc.sql("insert into posts (author_id, workspace_id, title, body) values (?, (select coalesce("
                        + "(select u.last_workspace_id from users u where u.id = ?),"
                        + " (select w.id from workspaces w where w.personal_for = ?))), ?, 'body') returning id")
                .params(authorId, authorId, authorId, title)
                .query(Long.class)
                .single();
    }

    private void insertComment(long postId, long authorId, String body) {
        jdbc.sql("insert into comments (post_id, author_id, body) values (?, ?, ?)")
                .params(postId, authorId, body)
                .update();
    }
}
