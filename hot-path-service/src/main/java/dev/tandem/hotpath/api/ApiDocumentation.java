package dev.tandem.hotpath.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * What every endpoint of API v1 shares in the OpenAPI document: the bearer scheme (access tokens
 * and API keys) and the problem responses, referenced by name from the resources.
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Tandem API",
                        version = "1.0",
                        description = "The public JSON API of Tandem, for mobile apps and API clients."
                                + " Authenticate with `Authorization: Bearer <token>`: an access token from core-app's"
                                + " `POST /api/v1/auth/token`, or an API key (`tdm_...`) made on a workspace's API keys"
                                + " page. Every call acts in one workspace: the access token's `wid` claim (the"
                                + " token endpoint's optional `workspace` parameter, a slug; by default the one the"
                                + " account used last) with the member's role there in `workspace_role`, or the"
                                + " workspace the API key belongs to. Each endpoint names the scope it needs. Errors are RFC 9457 problem details"
                                + " (`application/problem+json`). Lists are keyset-paged: follow `next` (or the"
                                + " `Link: rel=\"next\"` header). Every response carries `RateLimit-*` headers;"
                                + " past the limit the answer is 429 with `Retry-After`.",
                        license = @License(name = "Apache-2.0")),
        components =
                @Components(
                        securitySchemes =
                                @SecurityScheme(
                                        securitySchemeName = ApiDocumentation.BEARER,
                                        type = SecuritySchemeType.HTTP,
                                        scheme = "bearer",
                                        description = "An access token (JWT) from core-app, or an API key"
                                                + " tdm_<id>_<secret>. A token acts in the workspace of its `wid`"
                                                + " claim (a number) with the role of its `workspace_role` claim"
                                                + " (owner, admin, member or viewer); a key in the workspace it"
                                                + " was made in, with its account's role there. The account must"
                                                + " still be a member of that open workspace."),
                        responses = {
                            @APIResponse(
                                    name = "BadRequest",
                                    responseCode = "400",
                                    description = "Malformed request: not JSON, a bad cursor or header.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "Unauthorized",
                                    responseCode = "401",
                                    description = "No credentials, or not valid ones.",
                                    headers =
                                            @Header(
                                                    name = "WWW-Authenticate",
                                                    description = "Bearer realm=\"tandem\"",
                                                    schema =
                                                            @Schema(
                                                                    type =
                                                                            org.eclipse.microprofile.openapi.annotations
                                                                                    .enums.SchemaType.STRING)),
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "Forbidden",
                                    responseCode = "403",
                                    description = "The credentials lack the scope, or the caller's role in the"
                                            + " workspace may not do this (a viewer never writes; only the"
                                            + " author, an owner or an admin changes or deletes content).",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "NotFound",
                                    responseCode = "404",
                                    description = "No such resource in the caller's workspace. An id of another"
                                            + " workspace's object answers exactly as an id that does not exist.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "PreconditionFailed",
                                    responseCode = "412",
                                    description = "If-Match names an older version.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "Invalid",
                                    responseCode = "422",
                                    description =
                                            "Invalid input, field by field; or an Idempotency-Key reused for another request.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "TooManyRequests",
                                    responseCode = "429",
                                    description = "Rate limit reached; retry after Retry-After seconds.",
                                    headers =
                                            @Header(
                                                    name = "Retry-After",
                                                    description = "Seconds to wait.",
                                                    schema =
                                                            @Schema(
                                                                    type =
                                                                            org.eclipse.microprofile.openapi.annotations
                                                                                    .enums.SchemaType.INTEGER)),
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = "Busy",
                                    responseCode = "503",
                                    description = "The service is at capacity (load shedding), or the model is loading,"
                                            + " at capacity or did not answer in time; retry after Retry-After seconds."
                                            + " Nothing was done.",
                                    headers =
                                            @Header(
                                                    name = "Retry-After",
                                                    description = "Seconds to wait.",
                                                    schema =
                                                            @Schema(
                                                                    type =
                                                                            org.eclipse.microprofile.openapi.annotations
                                                                                    .enums.SchemaType.INTEGER)),
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class)))
                        }))
public class ApiDocumentation extends Application {

    public static final String BEARER = "bearer";
}
