package dev.tandem.hotpath.api;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.tandem.hotpath.limits.LimitsFilter;
import dev.tandem.hotpath.limits.RateLimits;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into problem details: never a stack trace, never an HTML page, and a 500
 * only for what is truly unexpected (logged with an id the client can quote).
 */
class ProblemMappers {

    static final URI VALIDATION = URI.create("https://tandem.dev/problems/validation");

    private static final Logger log = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    Response notFound(ResourceNotFoundException e, UriInfo uri) {
        return Problem.of(Response.Status.NOT_FOUND, e.getMessage(), path(uri)).toResponse();
    }

    @ServerExceptionMapper
    Response badRequest(BadRequestProblem e, UriInfo uri) {
        return Problem.of(Response.Status.BAD_REQUEST, e.getMessage(), path(uri))
                .toResponse();
    }

    @ServerExceptionMapper
    Response conflict(ConflictProblem e, UriInfo uri) {
        Response.StatusType status = Response.Status.fromStatusCode(e.status());
        String title =
                status != null ? status.getReasonPhrase() : e.status() == 422 ? "Unprocessable Content" : "Conflict";
        return new Problem(Problem.ABOUT_BLANK, title, e.status(), e.getMessage(), path(uri), null).toResponse();
    }

    @ServerExceptionMapper
    Response noSuchRoute(NotFoundException e, UriInfo uri) {
        return Problem.of(Response.Status.NOT_FOUND, "There is nothing at " + path(uri) + ".", path(uri))
                .toResponse();
    }

    @ServerExceptionMapper
    Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(violation -> new Problem.FieldError(pointer(violation), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::pointer))
                .toList();
        return new Problem(
                        VALIDATION,
                        "Invalid input",
                        422,
                        "The request has " + errors.size() + " invalid value(s); see errors.",
                        path(uri),
                        errors)
                .toResponse();
    }

    private final RateLimits limits;

    ProblemMappers(RateLimits limits) {
        this.limits = limits;
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    Response unauthenticated(RuntimeException e, UriInfo uri, HttpHeaders headers, HttpServerRequest request) {
        boolean presented = headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null;
        if (presented) {
            // Failed attempts cost the client address, so guessing tokens or keys is throttled too.
            RateLimits.Decision decision = limits.failedAttempt(LimitsFilter.address(request));
            if (!decision.allowed()) {
                Response.ResponseBuilder throttled = Response.fromResponse(Problem.of(
                                Response.Status.TOO_MANY_REQUESTS,
                                "Too many failed attempts: retry in " + decision.retryAfterSeconds() + " s.",
                                path(uri))
                        .toResponse());
                decision.headers(throttled::header);
                return throttled.build();
            }
        }
        String detail = presented
                ? "The access token or API key is not valid (expired, revoked, or not issued by Tandem)."
                : "This needs an access token or API key: Authorization: Bearer <token>.";
        String challenge = presented ? "Bearer realm=\"tandem\", error=\"invalid_token\"" : "Bearer realm=\"tandem\"";
        return Response.fromResponse(Problem.of(Response.Status.UNAUTHORIZED, detail, path(uri))
                        .toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .build();
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e, UriInfo uri) {
        String detail = e.getMessage() != null
                        && !e.getMessage().isBlank()
                        && !e.getMessage().startsWith("io.")
                ? e.getMessage()
                : "Your token or key does not grant this (a scope is missing), or your account may not do it.";
        return Problem.of(Response.Status.FORBIDDEN, detail, path(uri)).toResponse();
    }

    /** Not JSON at all: 400. */
    @ServerExceptionMapper
    Response malformed(StreamReadException e, UriInfo uri) {
        return Problem.of(
                        Response.Status.BAD_REQUEST, "The body is not valid JSON: " + e.getOriginalMessage(), path(uri))
                .toResponse();
    }

    /** JSON, but a value of the wrong type (or a body of the wrong shape): 422 naming the field. */
    @ServerExceptionMapper
    Response mismatched(MismatchedInputException e, UriInfo uri) {
        String pointer = e.getPath().stream()
                .map(reference -> reference.getFieldName() != null
                        ? reference.getFieldName()
                        : Integer.toString(reference.getIndex()))
                .collect(Collectors.joining("/", "/", ""));
        String type = e.getTargetType() == null ? "value" : e.getTargetType().getSimpleName();
        List<Problem.FieldError> errors = List.of(new Problem.FieldError(pointer, "must be a " + describe(type)));
        return new Problem(
                        VALIDATION,
                        "Invalid input",
                        422,
                        "The request has 1 invalid value(s); see errors.",
                        path(uri),
                        errors)
                .toResponse();
    }

    /** Keeps the response's headers (Allow, Retry-After, WWW-Authenticate, ...), replaces its body. */
    @ServerExceptionMapper
    Response http(WebApplicationException e, UriInfo uri) {
        Response original = e.getResponse();
        Response.StatusType status = original.getStatusInfo();
        // 503 is a deliberate "try again later" (with Retry-After); any other 5xx is a bug.
        if (status.getStatusCode() >= 500 && status.getStatusCode() != 503) {
            return unexpected(e, uri);
        }
        Problem problem = new Problem(
                Problem.ABOUT_BLANK, status.getReasonPhrase(), status.getStatusCode(), e.getMessage(), path(uri), null);
        return Response.fromResponse(original)
                .type(MediaType.valueOf(Problem.MEDIA_TYPE))
                .entity(problem)
                .build();
    }

    /** A fault-tolerance {@code @Timeout} fired: the work was dropped; the caller may try again. */
    @ServerExceptionMapper
    Response timedOut(org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException e, UriInfo uri) {
        return Response.fromResponse(Problem.of(
                                Response.Status.SERVICE_UNAVAILABLE,
                                "The request took too long and was dropped; try again shortly.",
                                path(uri))
                        .toResponse())
                .header("Retry-After", "1")
                .build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    Response unexpected(Throwable e, UriInfo uri) {
        String incident = UUID.randomUUID().toString();
        log.errorf(e, "unexpected error %s on %s", incident, path(uri));
        return Problem.of(
                        Response.Status.INTERNAL_SERVER_ERROR,
                        "Something went wrong on our side. Quote incident " + incident + " if you report it.",
                        path(uri))
                .toResponse();
    }

    private static String describe(String javaType) {
        return switch (javaType) {
            case "String" -> "string";
            case "long", "Long", "int", "Integer" -> "whole number";
            case "boolean", "Boolean" -> "boolean";
            case "Instant", "OffsetDateTime" -> "RFC 3339 date-time";
            default -> "JSON object of the documented shape";
        };
    }

    /**
     * A JSON pointer for body fields ({@code /title}, {@code /texts/1} for a list's element); the
     * parameter's name for path and query values.
     */
    static String pointer(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        // The method, then the parameter, then (for a body) the path inside it.
        int first = nodes.isEmpty() || nodes.getFirst().getKind() != ElementKind.METHOD ? 0 : 1;
        if (nodes.size() <= first + 1) {
            return nodes.isEmpty() ? "" : nodes.getLast().getName();
        }
        StringBuilder pointer = new StringBuilder();
        for (Path.Node node : nodes.subList(first + 1, nodes.size())) {
            Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
            if (node.isInIterable() && at != null) {
                pointer.append('/').append(at);
            }
            if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                pointer.append('/').append(node.getName());
            }
        }
        return pointer.toString();
    }

    private static String path(UriInfo uri) {
        return uri.getRequestUri().getRawPath();
    }
}
