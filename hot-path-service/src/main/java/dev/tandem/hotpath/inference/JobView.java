package dev.tandem.hotpath.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

@Schema(name = "InferenceJob", description = "A background inference job and, once done, its results.")
public record JobView(
        @Schema(examples = "0b6f3c2e-6d1a-4d8e-9a7f-1c2d3e4f5a6b")
        UUID id,

        @Schema(examples = "sentiment") String model,

        @Schema(
                description = "`queued`, `running`, `done` or `failed`.",
                enumeration = {"queued", "running", "done", "failed"},
                examples = "done")
        String status,

        @Schema(description = "Texts in the job.", examples = "2")
        int total,

        @Schema(description = "Texts computed so far.", examples = "2")
        int done,

        @Schema(
                type = SchemaType.ARRAY,
                nullable = true,
                description = "Once `done`: one object per text, in order: `index`, `label`, `scores` (every label's"
                        + " probability), `truncated`, `tokens`.")
        @Nullable
        JsonNode results,

        @Schema(nullable = true, description = "Why the job failed.") @Nullable
        String error,

        @Schema(examples = "2026-11-26T10:15:30Z") Instant createdAt,

        @Schema(nullable = true, examples = "2026-11-26T10:15:30.004Z") @Nullable
        Instant startedAt,

        @Schema(nullable = true, examples = "2026-11-26T10:15:30.021Z") @Nullable
        Instant finishedAt) {}
