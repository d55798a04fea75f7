package dev.tandem.hotpath.users;

import dev.tandem.hotpath.api.ApiDocumentation;
import dev.tandem.hotpath.api.ResourceNotFoundException;
import dev.tandem.hotpath.auth.Caller;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
@SecurityRequirement(name = ApiDocumentation.BEARER)
class MeResource {

    @Schema(name = "Me", description = "The caller's own account, private fields included.")
    record Me(
            @Schema(examples = "42") long id,
            @Schema(examples = "ada@example.com") String email,
            @Schema(examples = "Ada Lovelace") String displayName,

            @Schema(description = "USER, STAFF or ADMIN.", examples = "USER")
            String role,

            @Schema(examples = "2026-11-22T10:15:30Z") Instant memberSince,

            @Schema(description = "What these credentials may do.", examples = "[\"content:read\", \"content:write\"]")
            List<String> scopes,

            @Schema(description = "`token` (an access token) or `api-key`.", examples = "token")
            String authenticatedWith) {}

    private final Pool pool;
    private final SecurityIdentity identity;

    MeResource(Pool pool, SecurityIdentity identity) {
        this.pool = pool;
        this.identity = identity;
    }

    @GET
    @PermissionsAllowed("profile:read")
    @Operation(
            operationId = "getMe",
            summary = "Who I am",
            description = "Scope `profile:read`. Never cached: always the account as it is now.")
    @APIResponse(
            responseCode = "200",
            description = "The account.",
            content = @Content(schema = @Schema(implementation = Me.class)))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    @APIResponse(responseCode = "503", ref = "Busy")
    public Uni<Me> me() {
        long id = Caller.of(identity).userId();
        Set<String> granted = identity.getAttribute(Caller.SCOPES);
        List<String> scopes =
                granted == null ? List.of() : granted.stream().sorted().toList();
        return pool.preparedQuery("select email, display_name, role, created_at from users where id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new ResourceNotFoundException("Your account no longer exists.");
                    }
                    var row = rows.iterator().next();
                    return new Me(
                            id,
                            row.getString("email"),
                            row.getString("display_name"),
                            row.getString("role"),
                            row.getOffsetDateTime("created_at").toInstant(),
                            scopes,
                            identity.getAttribute(Caller.METHOD));
                });
    }
}
