package dev.tandem.hotpath.files;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "File", description = "An uploaded file's metadata. The bytes are at GET /api/v1/files/{id}.")
public record FileView(
        @Schema(examples = "3f2b9c1e-8a4d-4e6f-9b2a-1c3d5e7f9a0b")
        UUID id,

        @Schema(description = "The name given at upload, cleaned of any path.", examples = "report.pdf")
        String name,

        @Schema(description = "Sniffed from the bytes, not taken from the client.", examples = "application/pdf")
        String contentType,

        @Schema(description = "Size in bytes.", examples = "482133")
        long size,

        @Schema(
                description = "SHA-256 of the bytes (hex); also the download's ETag.",
                examples = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        String sha256,

        @Schema(examples = "2026-11-22T10:15:30Z") Instant createdAt) {}
