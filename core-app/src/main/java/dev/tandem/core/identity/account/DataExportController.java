package dev.tandem.core.identity.account;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.core.identity.apikeys.ApiKeys;
import dev.tandem.core.identity.workspaces.Workspaces;
import java.io.OutputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * "Export my data": everything Tandem holds about the account, as one JSON download, streamed so
 * that a prolific author's thousands of posts never sit in memory at once.
 */
@Controller
class DataExportController {

    private static final int PAGE = 500;

    private final UserRepository users;
    private final ApiKeys apiKeys;
    private final Workspaces workspaces;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    DataExportController(
            UserRepository users,
            ApiKeys apiKeys,
            Workspaces workspaces,
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock) {
        this.users = users;
        this.apiKeys = apiKeys;
        this.workspaces = workspaces;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/account/export")
    ResponseEntity<StreamingResponseBody> export() {
        AccountPrincipal account = CurrentAccount.require();
        User user = users.findById(account.id()).orElseThrow();
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("id", user.id());
        profile.put("email", user.email());
        profile.put("displayName", user.displayName());
        profile.put("role", user.role().name());
        profile.put("status", user.status().name());
        profile.put("createdAt", user.createdAt());
        profile.put("emailVerifiedAt", user.emailVerifiedAt());
        profile.put("lastLoginAt", user.lastLoginAt());
        profile.put("twoFactorEnabledAt", user.mfaEnabledAt());
        List<ApiKeys.ApiKeyView> keys = apiKeys.list(account.id());
        List<Workspaces.Membership> memberships = workspaces.of(account.id());
        StreamingResponseBody body = out -> write(out, account.id(), profile, memberships, keys);
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("tandem-export-" + account.id() + ".json")
                                .build()
                                .toString())
                .body(body);
    }

    private void write(
            OutputStream out,
            long userId,
            Map<String, Object> profile,
            List<Workspaces.Membership> memberships,
            List<ApiKeys.ApiKeyView> keys) {
        try (JsonGenerator generator = json.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringProperty("exportedAt", clock.instant().toString());
            generator.writePOJOProperty("account", profile);
            generator.writePOJOProperty("workspaces", memberships);
            generator.writePOJOProperty("apiKeys", keys);
            generator.writeName("posts");
            writePages(generator, "select id, title, body, created_at, updated_at from posts", "author_id", userId);
            generator.writeName("comments");
            writePages(generator, "select id, post_id, body, created_at from comments", "author_id", userId);
            generator.writeName("files");
            writePages(
                    generator,
                    "select id::text, file_name, content_type, size_bytes, sha256, created_at from attachments",
                    "owner_id",
                    userId);
            generator.writeEndObject();
        }
    }

    /** Writes every row of {@code select} for the owner as a JSON array, a page of rows at a time. */
    private void writePages(JsonGenerator generator, String select, String ownerColumn, long userId) {
        generator.writeStartArray();
        String after = "";
        while (true) {
            List<Map<String, Object>> page = jdbc.sql(select + " where " + ownerColumn + " = ? and id::text > ?"
                            + " order by id::text limit " + PAGE)
                    .params(userId, after)
                    .query()
                    .listOfRows();
            page.forEach(generator::writePOJO);
            if (page.size() < PAGE) {
                break;
            }
            after = String.valueOf(page.getLast().get("id"));
        }
        generator.writeEndArray();
    }
}
