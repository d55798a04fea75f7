package dev.tandem.core.identity.sessions;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;

/**
 * An account's web sessions, from the shared session table, so every replica sees and ends the
 * same ones. Sign-in records where a session came from ({@link #CLIENT_ADDRESS},
 * {@link #USER_AGENT}) so the sessions page can tell them apart.
 */
@Component
public class SessionRegistry {

    public static final String CLIENT_ADDRESS = "tandem.clientAddress";
    public static final String USER_AGENT = "tandem.userAgent";
    public static final String SIGNED_IN_AT = "tandem.signedInAt";

    /** One session as the owner may see it. */
    public record SessionView(
            String id,
            Instant createdAt,
            Instant lastAccessedAt,
            @Nullable String clientAddress,
            @Nullable String userAgent,
            boolean current) {}

    private final FindByIndexNameSessionRepository<? extends Session> sessions;

    SessionRegistry(FindByIndexNameSessionRepository<? extends Session> sessions) {
        this.sessions = sessions;
    }

    /** The account's sessions, most recently used first. */
    public List<SessionView> list(String principalName, @Nullable String currentSessionId) {
        return sessions.findByPrincipalName(principalName).values().stream()
                .map(session -> view(session, currentSessionId))
                .sorted(Comparator.comparing(SessionView::lastAccessedAt).reversed())
                .toList();
    }

    /** Ends one of the account's sessions; another account's session id is ignored. */
    public boolean revoke(String principalName, String sessionId) {
        if (!sessions.findByPrincipalName(principalName).containsKey(sessionId)) {
            return false;
        }
        sessions.deleteById(sessionId);
        return true;
    }

    /** Ends every session of the account but {@code keepSessionId} (null: all of them). */
    public int revokeAllExcept(String principalName, @Nullable String keepSessionId) {
        Map<String, ? extends Session> all = sessions.findByPrincipalName(principalName);
        int ended = 0;
        for (String id : all.keySet()) {
            if (!id.equals(keepSessionId)) {
                sessions.deleteById(id);
                ended++;
            }
        }
        return ended;
    }

    private static SessionView view(Session session, @Nullable String currentSessionId) {
        return new SessionView(
                session.getId(),
                session.getCreationTime(),
                session.getLastAccessedTime(),
                session.getAttribute(CLIENT_ADDRESS),
                session.getAttribute(USER_AGENT),
                session.getId().equals(currentSessionId));
    }
}
