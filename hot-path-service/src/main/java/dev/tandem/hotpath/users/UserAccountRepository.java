package dev.tandem.hotpath.users;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
class UserAccountRepository implements PanacheRepositoryBase<UserAccount, Long> {}
