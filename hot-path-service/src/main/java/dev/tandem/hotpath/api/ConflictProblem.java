package dev.tandem.hotpath.api;

/** The request conflicts with the resource's state (a stale If-Match, a reused key): 409, 412 or 422. */
public class ConflictProblem extends RuntimeException {

    private final int status;

    public ConflictProblem(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
