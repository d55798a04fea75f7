package dev.tandem.hotpath.content;

import dev.tandem.hotpath.api.ApiDocumentation;
import dev.tandem.hotpath.api.BadRequestProblem;
import dev.tandem.hotpath.api.Cursor;
import dev.tandem.hotpath.api.Idempotency;
import dev.tandem.hotpath.api.Page;
import dev.tandem.hotpath.api.Responses;
import dev.tandem.hotpath.auth.Caller;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Content", description = "Posts and comments.")
@SecurityRequirement(name = ApiDocumentation.BEARER)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "503", ref = "Busy")
class PostResource {

    private final ContentService content;
    private final SimilarPosts similar;
    private final SecurityIdentity identity;

    PostResource(ContentService content, SimilarPosts similar, SecurityIdentity identity) {
        this.content = content;
        this.similar = similar;
        this.identity = identity;
    }

    @GET
    @Path("/posts")
    @PermissionsAllowed("content:read")
    @Operation(
            operationId = "listPosts",
            summary = "The feed: recent posts, newest first",
            description = "Scope `content:read`.")
    @APIResponse(
            responseCode = "200",
            description = "A page of posts.",
            content = @Content(schema = @Schema(implementation = PostPage.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public Uni<Response> feed(
            @Parameter(description = "From a previous page's `next`.") @QueryParam("cursor") @Nullable String cursor,
            @Parameter(description = "Page size, 1 to 100.") @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100)
                    int limit,
            Request request,
            UriInfo uri) {
        return content.feed(Caller.of(identity), cursor(cursor), limit)
                .map(page -> Responses.page(request, uri, page, tag(page)));
    }

    @POST
    @Path("/posts")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("content:write")
    @Operation(
            operationId = "createPost",
            summary = "Write a post",
            description = "Scope `content:write`. Send an `Idempotency-Key` to retry safely: a repeat gets the"
                    + " first answer (with `Idempotent-Replayed: true`), never a second post.")
    @APIResponse(
            responseCode = "201",
            description = "Created.",
            headers =
                    @Header(
                            name = "Location",
                            description = "The new post's URL.",
                            schema =
                                    @Schema(
                                            type =
                                                    org.eclipse.microprofile.openapi.annotations.enums.SchemaType
                                                            .STRING)),
            content = @Content(schema = @Schema(implementation = PostView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "422", ref = "Invalid")
    public Uni<Response> create(
            @Valid @NotNull PostInput input,
            @Parameter(
                            description = "Any unique string, e.g. a UUID, to make retries safe.",
                            example = "5f0c6f1e-3a1b-4c8e-9d2f-7a6b5c4d3e2f")
                    @HeaderParam(Idempotency.HEADER)
                    @Nullable
                    String idempotencyKey,
            UriInfo uri) {
        return content.createPost(Caller.of(identity), input, Idempotency.key(idempotencyKey), uri.getPath())
                .map(Idempotency.Stored::toResponse);
    }

    @GET
    @Path("/posts/{id}/similar")
    @PermissionsAllowed("content:read")
    @Operation(
            operationId = "listSimilarPosts",
            summary = "Posts like this one",
            description = "Scope `content:read`. Nearest by the text encoder's vectors (cosine), among the most"
                    + " recent 50 000 posts; never held posts. See docs/inference.md for the index and its limits.")
    @APIResponse(
            responseCode = "200",
            description = "Best first.",
            content = @Content(schema = @Schema(implementation = SimilarPosts.SimilarPostList.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "Busy")
    public Uni<SimilarPosts.SimilarPostList> similar(
            @Parameter(example = "1001") @PathParam("id") long id,
            @Parameter(description = "How many, 1 to 50.") @QueryParam("limit") @DefaultValue("10") @Min(1) @Max(50)
                    int limit) {
        return similar.similarTo(Caller.of(identity), id, limit).map(SimilarPosts.SimilarPostList::new);
    }

    @GET
    @Path("/posts/{id}")
    @PermissionsAllowed("content:read")
    @Operation(
            operationId = "getPost",
            summary = "A post",
            description = "Scope `content:read`. Conditional with `If-None-Match`.")
    @APIResponse(
            responseCode = "200",
            description = "The post.",
            content = @Content(schema = @Schema(implementation = PostView.class)))
    @APIResponse(responseCode = "304", description = "Not modified since the ETag sent.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<Response> get(@Parameter(example = "1001") @PathParam("id") long id, Request request) {
        return content.post(Caller.of(identity), id).map(post -> Responses.conditional(request, post, tag(post)));
    }

    @PUT
    @Path("/posts/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("content:write")
    @Operation(
            operationId = "updatePost",
            summary = "Replace a post's title and body",
            description = "Scope `content:write`; the author or staff. Send the ETag you read as `If-Match`"
                    + " to refuse the change (412) if someone changed the post since.")
    @APIResponse(
            responseCode = "200",
            description = "The changed post.",
            content = @Content(schema = @Schema(implementation = PostView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "412", ref = "PreconditionFailed")
    @APIResponse(responseCode = "422", ref = "Invalid")
    public Uni<Response> update(
            @Parameter(example = "1001") @PathParam("id") long id,
            @Valid @NotNull PostInput input,
            @Parameter(description = "The ETag of the version you changed.", example = "\"p1001v0-5a1c3e2\"")
                    @HeaderParam("If-Match")
                    @Nullable
                    String ifMatch) {
        return content.updatePost(Caller.of(identity), id, input, acceptedVersions(id, ifMatch))
                .map(post -> Response.ok(post).tag(tag(post)).build());
    }

    @DELETE
    @Path("/posts/{id}")
    @PermissionsAllowed("content:write")
    @Operation(
            operationId = "deletePost",
            summary = "Delete a post and its comments",
            description = "Scope `content:write`; the author or staff.")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<Response> delete(@Parameter(example = "1001") @PathParam("id") long id) {
        return content.deletePost(Caller.of(identity), id)
                .map(done -> Response.noContent().build());
    }

    @GET
    @Path("/posts/{id}/comments")
    @PermissionsAllowed("content:read")
    @Operation(
            operationId = "listComments",
            summary = "A post's comments, oldest first",
            description = "Scope `content:read`.")
    @APIResponse(
            responseCode = "200",
            description = "A page of comments.",
            content = @Content(schema = @Schema(implementation = CommentPage.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<Response> comments(
            @Parameter(example = "1001") @PathParam("id") long id,
            @Parameter(description = "From a previous page's `next`.") @QueryParam("cursor") @Nullable String cursor,
            @Parameter(description = "Page size, 1 to 100.") @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100)
                    int limit,
            Request request,
            UriInfo uri) {
        return content.comments(Caller.of(identity), id, cursor(cursor), limit)
                .map(page -> Responses.page(request, uri, page, tag(page)));
    }

    @POST
    @Path("/posts/{id}/comments")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("content:write")
    @Operation(
            operationId = "createComment",
            summary = "Comment on a post",
            description = "Scope `content:write`. `Idempotency-Key` as for posts.")
    @APIResponse(
            responseCode = "201",
            description = "Created.",
            headers =
                    @Header(
                            name = "Location",
                            description = "The new comment's URL.",
                            schema =
                                    @Schema(
                                            type =
                                                    org.eclipse.microprofile.openapi.annotations.enums.SchemaType
                                                            .STRING)),
            content = @Content(schema = @Schema(implementation = CommentView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "Invalid")
    public Uni<Response> comment(
            @Parameter(example = "1001") @PathParam("id") long id,
            @Valid @NotNull CommentInput input,
            @Parameter(description = "Any unique string, e.g. a UUID, to make retries safe.")
                    @HeaderParam(Idempotency.HEADER)
                    @Nullable
                    String idempotencyKey,
            UriInfo uri) {
        return content.createComment(Caller.of(identity), id, input, Idempotency.key(idempotencyKey), uri.getPath())
                .map(Idempotency.Stored::toResponse);
    }

    @DELETE
    @Path("/comments/{id}")
    @PermissionsAllowed("content:write")
    @Operation(
            operationId = "deleteComment",
            summary = "Delete a comment",
            description = "Scope `content:write`; the comment's author, the post's author, or staff.")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<Response> deleteComment(@Parameter(example = "5001") @PathParam("id") long id) {
        return content.deleteComment(Caller.of(identity), id)
                .map(done -> Response.noContent().build());
    }

    static @Nullable Cursor cursor(@Nullable String value) {
        return value == null || value.isEmpty() ? null : Cursor.decode(value);
    }

    /**
     * A post's ETag is strong: its JSON is a function of its id, its version and its author's
     * display name (the hash suffix, so a rename shows). If-Match compares only the version: an
     * author's rename does not conflict with an edit of the post.
     */
    static EntityTag tag(PostView post) {
        return new EntityTag("p" + post.id() + "v" + post.version() + "-"
                + Integer.toHexString(post.authorName().hashCode()));
    }

    private static final java.util.regex.Pattern ENTITY_TAG = java.util.regex.Pattern.compile("(W/)?\"([^\"]*)\"");

    /**
     * The post versions an If-Match header accepts (RFC 9110: a list of entity tags, or *). Null
     * when any version will do (no header, or *); empty when none can match (weak tags never
     * match, nor other posts' tags): the update is then refused with 412.
     */
    static @Nullable Set<Long> acceptedVersions(long id, @Nullable String ifMatch) {
        if (ifMatch == null || ifMatch.strip().equals("*")) {
            return null;
        }
        java.util.regex.Matcher tags = ENTITY_TAG.matcher(ifMatch);
        java.util.regex.Pattern ours = java.util.regex.Pattern.compile("p" + id + "v(\\d{1,18})(-[0-9a-f]{1,8})?");
        Set<Long> versions = new java.util.HashSet<>();
        boolean any = false;
        while (tags.find()) {
            any = true;
            java.util.regex.Matcher tag = ours.matcher(tags.group(2));
            if (tags.group(1) == null && tag.matches()) {
                versions.add(Long.parseLong(tag.group(1)));
            }
        }
        if (!any) {
            throw new BadRequestProblem(
                    "If-Match must list entity tags, e.g. the ETag you read: \"p" + id + "v0-...\".");
        }
        return versions;
    }

    private static EntityTag tag(Page<?> page) {
        Object[] parts = new Object[page.items().size() * 2 + 1];
        int i = 0;
        for (Object item : page.items()) {
            if (item instanceof PostView post) {
                parts[i++] = post.id();
                parts[i++] = post.version() + "/" + post.authorName();
            } else if (item instanceof CommentView comment) {
                parts[i++] = comment.id();
                parts[i++] = comment.version() + "/" + comment.authorName();
            }
        }
        parts[i] = page.next();
        return Responses.weakTag(parts);
    }

    static EntityTag tag(UserPosts posts) {
        StringBuilder parts =
                new StringBuilder().append(posts.user()).append('|').append(posts.next());
        for (PostView post : posts.items()) {
            parts.append('|')
                    .append(post.id())
                    .append('v')
                    .append(post.version())
                    .append('v')
                    .append(post.authorName());
            if (post.comments() != null) {
                parts.append(post.moreComments());
                post.comments()
                        .forEach(c -> parts.append(',')
                                .append(c.id())
                                .append('v')
                                .append(c.version())
                                .append(c.authorName()));
            }
        }
        return Responses.weakTag(parts);
    }

    /** The schema of a page of posts, for the OpenAPI document. */
    @Schema(name = "PostPage")
    record PostPage(
            java.util.List<PostView> items, @Nullable String next) {}

    /** The schema of a page of comments, for the OpenAPI document. */
    @Schema(name = "CommentPage")
    record CommentPage(
            java.util.List<CommentView> items, @Nullable String next) {}
}
