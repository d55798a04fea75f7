package dev.tandem.schema.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a token or API key may do on the API; hot-path-service enforces one per endpoint. */
public enum ApiScope {
    PROFILE_READ("profile:read", "Read your profile"),
    CONTENT_READ("content:read", "Read posts and comments"),
    CONTENT_WRITE("content:write", "Create, edit and delete your posts and comments"),
    FILES_READ("files:read", "Download your files"),
    FILES_WRITE("files:write", "Upload and delete your files"),
    INFERENCE("inference", "Use the machine-learning endpoints");

    private final String value;
    private final String description;

    ApiScope(String value, String description) {
        this.value = value;
        this.description = description;
    }

    /** The scope as written in tokens and requests, e.g. {@code content:read}. */
    public String value() {
        return value;
    }

    public String description() {
        return description;
    }

    public static Optional<ApiScope> of(String value) {
        return Arrays.stream(values())
                .filter(scope -> scope.value.equals(value))
                .findFirst();
    }

    /** Every scope's value, for tokens that ask for none in particular. */
    public static List<String> allValues() {
        return Arrays.stream(values()).map(ApiScope::value).toList();
    }
}
