package dev.tandem.hotpath.api;

/** A resource the request names does not exist (or is not visible to the caller): 404. */
public class ResourceNotFoundException extends RuntimeException {

    public ResourceNotFoundException(String detail) {
        super(detail, null, false, false);
    }
}
