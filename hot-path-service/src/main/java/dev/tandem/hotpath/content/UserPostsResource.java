package dev.tandem.hotpath.content;

import dev.tandem.hotpath.api.ApiDocumentation;
import dev.tandem.hotpath.api.BadRequestProblem;
import dev.tandem.hotpath.api.Responses;
import dev.tandem.hotpath.auth.Caller;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

/** The seeds' "user + posts + comments". Its own class: JAX-RS matches {@code /api/v1/users/...} by the longest class path. */
@Path("/api/v1/users/{id}/posts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Content")
@SecurityRequirement(name = ApiDocumentation.BEARER)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "503", ref = "Busy")
class UserPostsResource {

    private final ContentService content;

    private final SecurityIdentity identity;

    UserPostsResource(ContentService content, SecurityIdentity identity) {
        this.identity = identity;
        this.content = content;
    }

    @GET
    @PermissionsAllowed("content:read")
    @Operation(
            operationId = "listUserPosts",
            summary = "A user and their posts, newest first, with comments on request",
            description = "Scope `content:read`. `?include=comments` adds each post's first 10 comments"
                    + " (oldest first) and `moreComments`. Two SQL statements at most, whatever the page size.")
    @APIResponse(
            responseCode = "200",
            description = "The user and a page of posts.",
            content = @Content(schema = @Schema(implementation = UserPosts.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<Response> postsOf(
            @Parameter(example = "42") @PathParam("id") long userId,
            @Parameter(description = "`comments` to include each post's first comments.", example = "comments")
                    @QueryParam("include")
                    @Nullable
                    String include,
            @Parameter(description = "From a previous page's `next`.") @QueryParam("cursor") @Nullable String cursor,
            @Parameter(description = "Page size, 1 to 100.") @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100)
                    int limit,
            Request request,
            UriInfo uri) {
        boolean withComments = include != null && include.equals("comments");
        if (include != null && !withComments) {
            throw new BadRequestProblem("include may only be 'comments'.");
        }
        return content.postsOf(Caller.of(identity), userId, PostResource.cursor(cursor), limit, withComments)
                .map(posts -> Responses.paged(request, uri, posts, posts.next(), PostResource.tag(posts)));
    }
}
