package dev.tandem.schema.events;

import java.util.List;
import java.util.Optional;

/** The catalogue of event types and the names on the bus. See {@code shared-schema/asyncapi.yaml}. */
public final class Events {

    /** The durable topic exchange every event is published to, routed by type. */
    public static final String EXCHANGE = "tandem.events";

    public static final String PRODUCER_CORE_APP = "core-app";
    public static final String PRODUCER_HOT_PATH = "hot-path-service";

    public static final EventType<UserRegistered> USER_REGISTERED =
            new EventType<>("user.registered", 1, UserRegistered.class);

    public static final EventType<UserUpdated> USER_UPDATED = new EventType<>("user.updated", 1, UserUpdated.class);

    public static final EventType<UserDeleted> USER_DELETED = new EventType<>("user.deleted", 1, UserDeleted.class);

    public static final EventType<ApiKeyRevoked> API_KEY_REVOKED =
            new EventType<>("api_key.revoked", 1, ApiKeyRevoked.class);

    public static final EventType<PostCreated> POST_CREATED = new EventType<>("post.created", 1, PostCreated.class);

    public static final EventType<CommentCreated> COMMENT_CREATED =
            new EventType<>("comment.created", 1, CommentCreated.class);

    public static final EventType<UsageRecorded> USAGE_RECORDED =
            new EventType<>("usage.recorded", 1, UsageRecorded.class);

    public static final EventType<AdminRecordChanged> ADMIN_RECORD_CHANGED =
            new EventType<>("admin.record_changed", 1, AdminRecordChanged.class);

    public static final EventType<WorkspaceDeleted> WORKSPACE_DELETED =
            new EventType<>("workspace.deleted", 1, WorkspaceDeleted.class);

    public static final EventType<WorkspaceMemberRemoved> WORKSPACE_MEMBER_REMOVED =
            new EventType<>("workspace.member_removed", 1, WorkspaceMemberRemoved.class);

    public static final EventType<SubscriptionChanged> SUBSCRIPTION_CHANGED =
            new EventType<>("subscription.changed", 1, SubscriptionChanged.class);

    public static final List<EventType<?>> ALL = List.of(
            USER_REGISTERED,
            USER_UPDATED,
            USER_DELETED,
            API_KEY_REVOKED,
            POST_CREATED,
            COMMENT_CREATED,
            USAGE_RECORDED,
            ADMIN_RECORD_CHANGED,
            WORKSPACE_DELETED,
            WORKSPACE_MEMBER_REMOVED,
            SUBSCRIPTION_CHANGED);

    private Events() {}

    public static Optional<EventType<?>> find(String name, int version) {
        return ALL.stream()
                .filter(type -> type.name().equals(name) && type.version() == version)
                .findFirst();
    }
}
