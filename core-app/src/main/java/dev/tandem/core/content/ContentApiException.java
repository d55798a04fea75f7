package dev.tandem.core.content;

import java.util.Map;

/**
 * hot-path-service refused a write or could not be reached. {@code fieldErrors} holds its
 * validation errors by field name (from the problem details' JSON pointers), when it gave any.
 */
class ContentApiException extends RuntimeException {

    private final int status;
    private final Map<String, String> fieldErrors;

    ContentApiException(int status, String message, Map<String, String> fieldErrors) {
        super(message);
        this.status = status;
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    int status() {
        return status;
    }

    Map<String, String> fieldErrors() {
        return fieldErrors;
    }
}
