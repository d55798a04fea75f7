package dev.tandem.hotpath.users;

import dev.tandem.hotpath.api.Problem;
import dev.tandem.hotpath.api.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/users")
@APIResponse(responseCode = "503", ref = "Busy")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users", description = "Public profiles.")
class UserResource {

    private final PublicUserService users;

    UserResource(PublicUserService users) {
        this.users = users;
    }

    @GET
    @Path("/{id}")
    @Operation(
            operationId = "getUser",
            summary = "A user's public profile",
            description = "Anyone may read it; private fields are never shown.")
    @APIResponse(
            responseCode = "200",
            description = "The profile.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PublicUserView.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such user, or the account is closed.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<PublicUserView> get(@Parameter(description = "The user's id.", example = "1") @PathParam("id") long id) {
        return users.find(id)
                .map(user -> user.orElseThrow(() -> new ResourceNotFoundException("There is no user " + id + ".")));
    }
}
