package dev.tandem.hotpath.files;

import dev.tandem.hotpath.api.ApiDocumentation;
import dev.tandem.hotpath.api.Cursor;
import dev.tandem.hotpath.api.Page;
import dev.tandem.hotpath.api.ResourceNotFoundException;
import dev.tandem.hotpath.api.Responses;
import dev.tandem.hotpath.auth.Caller;
import dev.tandem.schema.workspaces.WorkspaceAction;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/** Listing and deleting files; uploads and downloads stream through {@link FileRoutes}. */
@Path("/api/v1/files")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
        name = "Files",
        description = "Uploads and downloads. A file is private to its uploader in its workspace (and to the"
                + " workspace's owners and admins, and Tandem's staff).")
@SecurityRequirement(name = ApiDocumentation.BEARER)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
class FileResource {

    private static final Logger log = Logger.getLogger(FileResource.class);

    private final FileRecords records;
    private final FileStorage storage;
    private final SecurityIdentity identity;

    FileResource(FileRecords records, FileStorage storage, SecurityIdentity identity) {
        this.records = records;
        this.storage = storage;
        this.identity = identity;
    }

    @GET
    @PermissionsAllowed("files:read")
    @Operation(operationId = "listFiles", summary = "My files, newest first", description = "Scope `files:read`.")
    @APIResponse(
            responseCode = "200",
            description = "A page of files.",
            content = @Content(schema = @Schema(implementation = FilePage.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public Uni<Response> mine(
            @Parameter(description = "From a previous page's `next`.") @QueryParam("cursor") @Nullable String cursor,
            @Parameter(description = "Page size, 1 to 100.") @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100)
                    int limit,
            Request request,
            UriInfo uri) {
        Cursor after = cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor);
        return records.ofOwner(Caller.of(identity), after, limit + 1).map(rows -> {
            Page<FileView> page = Page.of(
                    rows, limit, file -> new Cursor(file.createdAt(), file.id().toString()));
            return Responses.page(
                    request,
                    uri,
                    page,
                    Responses.weakTag(page.items().stream().map(FileView::id).toList(), page.next()));
        });
    }

    @DELETE
    @Path("/{id}")
    @PermissionsAllowed("files:write")
    @Operation(
            operationId = "deleteFile",
            summary = "Delete a file",
            description =
                    "Scope `files:write`; a role that may write: the uploader, or an owner or admin of the workspace.")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<Response> delete(
            @Parameter(example = "3f2b9c1e-8a4d-4e6f-9b2a-1c3d5e7f9a0b") @PathParam("id") String id) {
        UUID uuid = parse(id);
        Caller caller = Caller.of(identity).require(WorkspaceAction.WRITE_CONTENT);
        return records.find(caller, uuid).flatMap(found -> {
            if (found.isEmpty()) {
                throw new ResourceNotFoundException("There is no file " + id + ".");
            }
            String key = found.get().storageKey();
            return records.delete(caller, uuid)
                    .invoke(deleted -> storage.delete(key)
                            .onFailure(failure -> log.warnf(
                                    "file %s: row deleted, bytes left at %s: %s", id, key, failure.getMessage())))
                    .map(deleted -> Response.noContent().build());
        });
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ResourceNotFoundException("There is no file " + id + ".");
        }
    }

    /** The schema of a page of files, for the OpenAPI document. */
    @Schema(name = "FilePage")
    record FilePage(
            java.util.List<FileView> items, @Nullable String next) {}
}
