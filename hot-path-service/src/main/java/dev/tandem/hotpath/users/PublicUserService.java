package dev.tandem.hotpath.users;

import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheResult;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Public profiles, cached per instance until an account event for that user drops the entry (see
 * {@link AccountEventsConsumer}, which every instance receives). Absent profiles are cached too:
 * creating, changing or closing an account always publishes an event carrying its id. Entries also
 * expire after a while (configuration), as a backstop should an event be missed. A profile is
 * present exactly when the account is usable (active or awaiting verification).
 */
@ApplicationScoped
public class PublicUserService {

    static final String CACHE = "public-users";

    private final UserAccountRepository accounts;

    PublicUserService(UserAccountRepository accounts) {
        this.accounts = accounts;
    }

    @CacheResult(cacheName = CACHE)
    @WithSession
    public Uni<Optional<PublicUserView>> find(long id) {
        return accounts.findById(id)
                .map(account -> Optional.ofNullable(account)
                        .filter(UserAccount::isVisible)
                        .map(PublicUserView::of));
    }

    @CacheInvalidate(cacheName = CACHE)
    Uni<Void> forget(long id) {
        return Uni.createFrom().voidItem();
    }
}
