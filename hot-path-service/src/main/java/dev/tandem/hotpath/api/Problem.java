package dev.tandem.hotpath.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An error as RFC 9457 problem details ({@code application/problem+json}). {@code type} is
 * {@code about:blank} when the status code says it all, otherwise a URI naming the kind of problem.
 */
@Schema(name = "Problem", description = "An error, as RFC 9457 problem details (media type application/problem+json).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        @Schema(
                description = "URI identifying the kind of problem; about:blank when the status says it all.",
                examples = "about:blank")
        URI type,

        @Schema(description = "Short summary of the kind of problem.", examples = "Not Found")
        String title,

        @Schema(description = "The HTTP status code.", examples = "404")
        int status,

        @Schema(description = "What went wrong with this request, for a human.", examples = "There is no user 42.")
        String detail,

        @Schema(description = "The request path.", examples = "/api/v1/users/42")
        String instance,

        @Schema(description = "Field errors, for validation problems.", nullable = true)
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final URI ABOUT_BLANK = URI.create("about:blank");

    /** One invalid input: where it is and what is wrong with it. */
    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(
                    description = "The invalid input: a JSON pointer into the body, or a parameter name.",
                    examples = "/title")
            String pointer,

            @Schema(description = "What is wrong with it.", examples = "must not be blank")
            String detail) {}

    public static Problem of(Response.Status status, String detail, String instance) {
        return new Problem(ABOUT_BLANK, status.getReasonPhrase(), status.getStatusCode(), detail, instance, null);
    }

    /** Sends this problem from a plain Vert.x route (outside JAX-RS). */
    public void send(HttpServerResponse response) {
        if (!response.ended()) {
            response.setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE).end(Json.encode(this));
        }
    }

    public Response toResponse() {
        return Response.status(status)
                .type(MediaType.valueOf(MEDIA_TYPE))
                .entity(this)
                .build();
    }
}
