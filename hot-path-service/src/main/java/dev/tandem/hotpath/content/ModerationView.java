package dev.tandem.hotpath.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

@Schema(
        name = "Moderation",
        description = "What the models made of a post or comment when it was written (docs/inference.md).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModerationView(
        @Schema(
                description = "`visible`; `held` for review as likely spam (only its author and staff see it);"
                        + " `pending` while not scored yet (shown; scored within seconds).",
                examples = "visible",
                enumeration = {"visible", "held", "pending"})
        String state,

        @Schema(description = "ISO 639-3 code of the detected language; absent for short texts.", examples = "eng")
        @Nullable
        String language,

        @Schema(description = "Probability that the text is positive, 0 to 1.", examples = "0.93") @Nullable
        Double sentiment) {}
