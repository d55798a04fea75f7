package dev.tandem.core.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.TestBrowser.Page;
import dev.tandem.core.WebIntegrationTest;
import dev.tandem.core.billing.BillingFixtures;
import dev.tandem.core.billing.BillingService;
import dev.tandem.core.billing.SandboxPaymentProvider;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Workspace isolation of core-app's pages and JSON routes, generated from the application's own
 * route list (Spring MVC's handler mappings): every route that takes a path variable must have an
 * entry in {@link #ROUTES}, and each is called by bob, owner of workspace B, with the slug and ids
 * of workspace A's objects. A page answers 404; a form post answers 404, or redirects back with
 * its message having changed nothing; afterwards everything of A is as it was. A route added
 * without an entry fails {@link #everyRouteWithAPathVariableIsInTheTable}, naming it. Routes
 * without a path variable act on the session's own account or workspace: there is no id to
 * substitute.
 */
class RouteIsolationTests extends WebIntegrationTest {

    /** What a route must answer bob, who is no member of A. */
    enum Expect {
        /** A page or action about one of A's objects: 404, as for an id that does not exist. */
        NOT_FOUND,
        /** A form post in bob's own workspace naming one of A's objects: 404, or back with a message; nothing changes. */
        REFUSED,
        /** The staff console: refused to anyone who is not staff (403). Staff see every workspace by design. */
        STAFF_ONLY,
        /** Not isolated by workspace, for the reason given. */
        OUTSIDE
    }

    /** A route: what bob must get, the path for A's objects, and, for OUTSIDE, why. */
    record Route(Expect expect, Function<Fixture, String> path, String why) {

        static Route of(Expect expect, Function<Fixture, String> path) {
            return new Route(expect, path, "");
        }
    }

    /** Workspace A (alice owns it; mallory is a member) with one of each object; bob owns B. */
    record Fixture(
            long alice,
            long mallory,
            long bob,
            String slugA,
            String slugB,
            long workspaceA,
            long invitation,
            String apiKey,
            long post,
            String aliceSession,
            String invoiceNumber,
            String paymentIntent) {}

    static final Map<String, Route> ROUTES = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /w/{slug}/members", Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/members")),
            Map.entry("GET /w/{slug}/settings", Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/settings")),
            Map.entry("POST /w/{slug}/settings", Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/settings")),
            Map.entry("POST /w/{slug}/transfer", Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/transfer")),
            Map.entry("POST /w/{slug}/delete", Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/delete")),
            Map.entry("POST /w/{slug}/leave", Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/leave")),
            Map.entry("GET /w/{slug}/api-keys", Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/api-keys")),
            Map.entry("POST /w/{slug}/api-keys", Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/api-keys")),
            Map.entry(
                    "POST /w/{slug}/invitations", Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/invitations")),
            Map.entry(
                    "POST /w/{slug}/members/{userId}/role",
                    Route.of(Expect.REFUSED, f -> "/w/" + f.slugB() + "/members/" + f.mallory() + "/role")),
            Map.entry(
                    "POST /w/{slug}/members/{userId}/remove",
                    Route.of(Expect.REFUSED, f -> "/w/" + f.slugB() + "/members/" + f.mallory() + "/remove")),
            Map.entry(
                    "POST /w/{slug}/invitations/{id}/resend",
                    Route.of(Expect.REFUSED, f -> "/w/" + f.slugB() + "/invitations/" + f.invitation() + "/resend")),
            Map.entry(
                    "POST /w/{slug}/invitations/{id}/revoke",
                    Route.of(Expect.REFUSED, f -> "/w/" + f.slugB() + "/invitations/" + f.invitation() + "/revoke")),
            Map.entry(
                    "POST /w/{slug}/api-keys/{id}/revoke",
                    Route.of(Expect.REFUSED, f -> "/w/" + f.slugB() + "/api-keys/" + f.apiKey() + "/revoke")),
            Map.entry(
                    "POST /workspaces/invitations/{id}/accept",
                    Route.of(Expect.REFUSED, f -> "/workspaces/invitations/" + f.invitation() + "/accept")),
            Map.entry(
                    "POST /account/sessions/{id}/revoke",
                    Route.of(Expect.REFUSED, f -> "/account/sessions/" + f.aliceSession() + "/revoke")),
            Map.entry("GET /w/{slug}/billing", Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/billing")),
            Map.entry(
                    "POST /w/{slug}/billing/payment-method",
                    Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/billing/payment-method")),
            Map.entry(
                    "POST /w/{slug}/billing/payment-method/hosted",
                    Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/billing/payment-method/hosted")),
            Map.entry(
                    "GET /w/{slug}/billing/payment-method/return",
                    Route.of(
                            Expect.NOT_FOUND,
                            f -> "/w/" + f.slugA() + "/billing/payment-method/return?session=cs_test_x")),
            Map.entry(
                    "POST /w/{slug}/billing/details",
                    Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/billing/details")),
            Map.entry(
                    "POST /w/{slug}/billing/subscribe",
                    Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/billing/subscribe")),
            Map.entry(
                    "GET /w/{slug}/billing/change",
                    Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/billing/change?price=1")),
            Map.entry(
                    "POST /w/{slug}/billing/change",
                    Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/billing/change")),
            Map.entry(
                    "POST /w/{slug}/billing/cancel",
                    Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/billing/cancel")),
            Map.entry(
                    "POST /w/{slug}/billing/resume",
                    Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugA() + "/billing/resume")),
            Map.entry(
                    "GET /w/{slug}/billing/invoices/{number}",
                    Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugB() + "/billing/invoices/" + f.invoiceNumber())),
            Map.entry(
                    "GET /w/{slug}/billing/invoices/{number}/pdf",
                    Route.of(
                            Expect.NOT_FOUND,
                            f -> "/w/" + f.slugB() + "/billing/invoices/" + f.invoiceNumber() + "/pdf")),
            Map.entry(
                    "GET /w/{slug}/billing/payments/{intent}",
                    Route.of(Expect.NOT_FOUND, f -> "/w/" + f.slugB() + "/billing/payments/" + f.paymentIntent())),
            Map.entry(
                    "GET /billing/sandbox/{intent}",
                    Route.of(Expect.NOT_FOUND, f -> "/billing/sandbox/" + f.paymentIntent())),
            Map.entry(
                    "POST /billing/sandbox/{intent}",
                    Route.of(Expect.NOT_FOUND, f -> "/billing/sandbox/" + f.paymentIntent())),
            Map.entry(
                    "POST /billing/webhooks/{provider}",
                    new Route(
                            Expect.OUTSIDE,
                            f -> "",
                            "the payment provider's signed events: no session, the signature authenticates"
                                    + " (BillingWebhookTests)")),
            Map.entry("GET /posts/{id}", Route.of(Expect.NOT_FOUND, f -> "/posts/" + f.post())),
            Map.entry("POST /posts/{id}/comments", Route.of(Expect.NOT_FOUND, f -> "/posts/" + f.post() + "/comments")),
            Map.entry(
                    "GET /invitations/{token}",
                    new Route(
                            Expect.OUTSIDE,
                            f -> "",
                            "the secret token in the invitation's link is the capability (only its hash is stored);"
                                    + " accepting checks the invited address (InvitationsTests)")),
            Map.entry(
                    "GET /invitations/{token}/accept",
                    new Route(Expect.OUTSIDE, f -> "", "a redirect to GET /invitations/{token} after signing in")),
            Map.entry(
                    "POST /invitations/{token}/accept",
                    new Route(
                            Expect.OUTSIDE,
                            f -> "",
                            "the token is the capability; an invitation to another address is refused"
                                    + " (InvitationsTests)")),
            Map.entry("GET /admin/{name}", Route.of(Expect.STAFF_ONLY, f -> "/admin/posts")),
            Map.entry("GET /admin/{name}/export.csv", Route.of(Expect.STAFF_ONLY, f -> "/admin/posts/export.csv")),
            Map.entry("GET /admin/{name}/lookup", Route.of(Expect.STAFF_ONLY, f -> "/admin/posts/lookup")),
            Map.entry("GET /admin/{name}/add", Route.of(Expect.STAFF_ONLY, f -> "/admin/posts/add")),
            Map.entry("POST /admin/{name}/add", Route.of(Expect.STAFF_ONLY, f -> "/admin/posts/add")),
            Map.entry("GET /admin/{name}/{id}", Route.of(Expect.STAFF_ONLY, f -> "/admin/posts/" + f.post())),
            Map.entry("POST /admin/{name}/{id}", Route.of(Expect.STAFF_ONLY, f -> "/admin/posts/" + f.post())),
            Map.entry(
                    "GET /admin/{name}/{id}/history",
                    Route.of(Expect.STAFF_ONLY, f -> "/admin/posts/" + f.post() + "/history")),
            Map.entry(
                    "GET /admin/{name}/{id}/delete",
                    Route.of(Expect.STAFF_ONLY, f -> "/admin/posts/" + f.post() + "/delete")),
            Map.entry(
                    "POST /admin/{name}/{id}/delete",
                    Route.of(Expect.STAFF_ONLY, f -> "/admin/posts/" + f.post() + "/delete")),
            Map.entry("POST /admin/{name}/actions", Route.of(Expect.STAFF_ONLY, f -> "/admin/posts/actions"))));

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    BillingService billing;

    private TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
    }

    @Test
    void everyRouteWithAPathVariableIsInTheTable() {
        Set<String> routes = routesWithPathVariables();

        assertThat(routes)
                .as("routes with a path variable and no entry in RouteIsolationTests.ROUTES (say how each is isolated)")
                .isSubsetOf(ROUTES.keySet());
        assertThat(ROUTES.keySet())
                .as("entries of RouteIsolationTests.ROUTES for routes core-app no longer has")
                .isSubsetOf(routes);
        assertThat(ROUTES.values())
                .filteredOn(route -> route.expect() == Expect.OUTSIDE)
                .allSatisfy(route -> assertThat(route.why()).isNotBlank());
    }

    @Test
    void anotherWorkspacesSlugsAndIdsAreNotFound() {
        Fixture a = workspaceAWithOneOfEach();
        TestBrowser bob = signedIn(a.bob());

        ROUTES.forEach((operation, route) -> {
            String method = operation.substring(0, operation.indexOf(' '));
            if (route.expect() == Expect.OUTSIDE) {
                return;
            }
            String path = route.path().apply(a);
            Page answer = call(bob, method, path);
            switch (route.expect()) {
                case NOT_FOUND ->
                    assertThat(answer.status())
                            .as(operation + " as a member of B, with A's " + path)
                            .isEqualTo(404);
                case REFUSED ->
                    assertThat(answer.status())
                            .as(operation + " as a member of B, with A's " + path + ": 404 or back with a message")
                            .isIn(302, 303, 404);
                case STAFF_ONLY ->
                    assertThat(answer.status())
                            .as(operation + " as an account that is not staff")
                            .isEqualTo(403);
                default -> throw new AssertionError(route.expect());
            }
        });
        // The same 404 for a workspace or post that does not exist.
        assertThat(bob.get("/w/no-such-workspace-"
                                + UUID.randomUUID().toString().substring(0, 8) + "/members")
                        .status())
                .isEqualTo(404);
        assertThat(bob.get("/posts/987654321987").status()).isEqualTo(404);

        aIsAsItWas(a);
    }

    @Test
    void aViewerSeesTheWorkspacesPostsButCannotPostOrComment() {
        Fixture a = workspaceAWithOneOfEach();
        long vera = accounts.active(TestAccounts.uniqueEmail("vera"));
        join(a.workspaceA(), vera, "viewer");
        useWorkspace(vera, a.workspaceA());
        TestBrowser browser = signedIn(vera);

        assertThat(browser.get("/posts/" + a.post()).body()).contains("In workspace A.");
        Page refused = browser.post(
                "/posts/" + a.post() + "/comments",
                Map.of(
                        "body",
                        "A viewer's remark",
                        "requestId",
                        UUID.randomUUID().toString()));
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).contains("A viewer of this workspace cannot comment.");
        browser.get("/posts");
        assertThat(browser.post(
                                "/posts",
                                Map.of(
                                        "title",
                                        "t",
                                        "body",
                                        "b",
                                        "requestId",
                                        UUID.randomUUID().toString()))
                        .body())
                .contains("A viewer of this workspace cannot post.");
    }

    private Set<String> routesWithPathVariables() {
        Set<String> routes = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.contains("{")) {
                    continue;
                }
                if (methods.isEmpty()) {
                    routes.add("ANY " + pattern);
                }
                methods.forEach(method -> routes.add(method.name() + " " + pattern));
            }
        }
        return routes;
    }

    private static Page call(TestBrowser browser, String method, String path) {
        if (method.equals("GET")) {
            return browser.get(path);
        }
        browser.get("/dashboard"); // a page with the form's CSRF token, as a browser has one
        return browser.post(
                path,
                Map.of(
                        "name", "Taken over",
                        "slug", "taken-" + UUID.randomUUID().toString().substring(0, 8),
                        "role", "viewer",
                        "userId", "1",
                        "email", "someone@example.com",
                        "body", "A comment from outside",
                        "requestId", UUID.randomUUID().toString(),
                        "confirm", "yes"));
    }

    private Fixture workspaceAWithOneOfEach() {
        long alice = accounts.active(TestAccounts.uniqueEmail("alice"));
        long mallory = accounts.active(TestAccounts.uniqueEmail("mallory"));
        long bob = accounts.active(TestAccounts.uniqueEmail("bob"));
        String slugA = "iso-a-" + UUID.randomUUID().toString().substring(0, 8);
        String slugB = "iso-b-" + UUID.randomUUID().toString().substring(0, 8);
        long a = workspace("Alpha", slugA, alice);
        long b = workspace("Beta", slugB, bob);
        join(a, mallory, "member");
        useWorkspace(alice, a);
        useWorkspace(bob, b);
        long invitation = jdbc.sql("insert into workspace_invitations (workspace_id, email, role, token_hash,"
                        + " invited_by, expires_at) values (?, 'invited@example.com', 'member', ?, ?,"
                        + " now() + interval '7 days') returning id")
                .params(a, randomBytes(32), alice)
                .query(Long.class)
                .single();
        String key = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        jdbc.sql("insert into api_keys (id, user_id, workspace_id, name, secret_hash, scopes)"
                        + " values (?, ?, ?, 'Alice''s key', ?, '{content:read}')")
                .params(key, alice, a, randomBytes(32))
                .update();
        long post = jdbc.sql("insert into posts (author_id, workspace_id, title, body)"
                        + " values (?, ?, 'Alice''s post', 'In workspace A.') returning id")
                .params(alice, a)
                .query(Long.class)
                .single();
        signedIn(alice);
        String aliceEmail = jdbc.sql("select email from users where id = ?")
                .param(alice)
                .query(String.class)
                .single();
        String session = jdbc.sql("select session_id from spring_session where principal_name in (?, ?)"
                        + " order by creation_time desc limit 1")
                .params(aliceEmail, Long.toString(alice))
                .query(String.class)
                .single();
        // A's first payment waits for the customer's action (a workspace whose trial was used).
        new BillingFixtures(jdbc).trialUsed(a);
        billing.savePaymentMethod(a, "Alpha", SandboxPaymentProvider.REQUIRES_ACTION);
        String intent = billing.subscribe(alice, a, new BillingFixtures(jdbc).price("pro", "month"))
                .orElseThrow()
                .intentRef();
        String number = jdbc.sql("select number from invoices where workspace_id = ?")
                .param(a)
                .query(String.class)
                .single();
        return new Fixture(alice, mallory, bob, slugA, slugB, a, invitation, key, post, session, number, intent);
    }

    private void aIsAsItWas(Fixture a) {
        assertThat(jdbc.sql("select name || ' ' || slug || ' ' || (deleted_at is null) from workspaces where id = ?")
                        .param(a.workspaceA())
                        .query(String.class)
                        .single())
                .isEqualTo("Alpha " + a.slugA() + " true");
        assertThat(jdbc.sql("select string_agg(user_id || ':' || role, ',' order by user_id) from workspace_members"
                                + " where workspace_id = ?")
                        .param(a.workspaceA())
                        .query(String.class)
                        .single())
                .isEqualTo(a.alice() + ":owner," + a.mallory() + ":member");
        assertThat(count(
                        "select count(*) from workspace_invitations where id = ? and accepted_at is null"
                                + " and revoked_at is null",
                        a.invitation()))
                .as("the invitation is pending")
                .isOne();
        assertThat(count("select count(*) from api_keys where id = ? and revoked_at is null", a.apiKey()))
                .as("alice's key is live")
                .isOne();
        assertThat(count("select count(*) from api_keys where workspace_id = ?", a.workspaceA()))
                .as("no key made in A")
                .isOne();
        assertThat(count("select count(*) from posts where workspace_id = ?", a.workspaceA()))
                .as("A's post alone")
                .isOne();
        assertThat(count("select count(*) from comments where workspace_id = ?", a.workspaceA()))
                .as("no comment in A")
                .isZero();
        assertThat(count("select count(*) from spring_session where session_id = ?", a.aliceSession()))
                .as("alice's session")
                .isOne();
        assertThat(jdbc.sql("select status from subscriptions where workspace_id = ? and status <> 'canceled'")
                        .param(a.workspaceA())
                        .query(String.class)
                        .single())
                .as("A's first payment still waits for alice")
                .isEqualTo("incomplete");
        assertThat(count(
                        "select count(*) from billing_profiles where workspace_id = ? and card_last4 = '3184'",
                        a.workspaceA()))
                .as("A's card")
                .isOne();
        assertThat(count("select count(*) from workspace_members where user_id = ?", a.bob()))
                .as("bob joined nothing")
                .isEqualTo(2);
    }

    private long count(String sql, Object parameter) {
        return jdbc.sql(sql).param(parameter).query(Long.class).single();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new java.security.SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private long workspace(String name, String slug, long owner) {
        long id = jdbc.sql("insert into workspaces (name, slug) values (?, ?) returning id")
                .params(name, slug)
                .query(Long.class)
                .single();
        join(id, owner, "owner");
        return id;
    }

    private void join(long workspace, long user, String role) {
        jdbc.sql("insert into workspace_members (workspace_id, user_id, role) values (?, ?, ?)")
                .params(workspace, user, role)
                .update();
    }

    private void useWorkspace(long user, long workspace) {
        jdbc.sql("update users set last_workspace_id = ? where id = ?")
                .params(workspace, user)
                .update();
    }
}
