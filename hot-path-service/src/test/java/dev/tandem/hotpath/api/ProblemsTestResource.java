package dev.tandem.hotpath.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Endpoints that fail on purpose, to test the problem details mapping (test sources only; not documented). */
@Path("/test/problems")
public class ProblemsTestResource {

    public record Draft(
            @NotBlank String title, @Size(max = 5) String body) {}

    @GET
    @Operation(hidden = true)
    @Path("/throttled")
    public String throttled() {
        throw new WebApplicationException(
                "Slow down.", Response.status(429).header("Retry-After", "7").build());
    }

    @GET
    @Operation(hidden = true)
    @Path("/broken")
    public String broken() {
        throw new IllegalStateException("secret internals");
    }

    @POST
    @Operation(hidden = true)
    @Path("/drafts")
    @Consumes(MediaType.APPLICATION_JSON)
    public String create(@Valid Draft draft, @QueryParam("limit") @Max(10) int limit) {
        return "ok";
    }
}
