package dev.tandem.core.identity.tokens;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.login.AccountUserDetailsService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Who the bearer of an access token is (an OpenID Connect-style userinfo endpoint). */
@RestController
class UserInfoController {

    private final AccountUserDetailsService accounts;

    UserInfoController(AccountUserDetailsService accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/api/v1/auth/userinfo")
    Map<String, Object> userInfo(@AuthenticationPrincipal Jwt token) {
        AccountPrincipal account = accounts.principal(Long.parseLong(token.getSubject()));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("sub", token.getSubject());
        info.put("email", account.email());
        info.put("email_verified", account.emailVerified());
        info.put("name", account.displayName());
        info.put("roles", List.of(account.role().name()));
        info.put("scope", token.getClaimAsString("scope"));
        return info;
    }
}
