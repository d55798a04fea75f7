package dev.tandem.core.identity;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The security of core-app's API: stateless, no cookies and so no CSRF; the token endpoint, the
 * revocation endpoint and the JWKS are open; userinfo takes an access token with the
 * {@code profile:read} scope. Failures are RFC 6750 ({@code WWW-Authenticate}) with a problem body.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, JwtDecoder accessTokenDecoder) throws Exception {
        BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
        BearerTokenAccessDeniedHandler denied = new BearerTokenAccessDeniedHandler();
        http.securityMatcher("/api/**", "/.well-known/**")
                .authorizeHttpRequests(requests -> requests.requestMatchers(
                                "/api/v1/auth/token", "/api/v1/auth/revoke", "/.well-known/jwks.json")
                        .permitAll()
                        .requestMatchers("/api/v1/auth/userinfo")
                        .access(AuthorityAuthorizationManager.hasAuthority("SCOPE_profile:read"))
                        // bench/'s reads (profile bench only, dev.tandem.core.bench), guarded as hot-path guards
                        // the same reads: a profile is public, a user's posts need content:read.
                        .requestMatchers("/api/bench/users/*/posts")
                        .access(AuthorityAuthorizationManager.hasAuthority("SCOPE_content:read"))
                        .requestMatchers("/api/bench/users/*")
                        .permitAll()
                        .anyRequest()
                        .denyAll())
                .oauth2ResourceServer(resource -> resource.jwt(jwt -> jwt.decoder(accessTokenDecoder))
                        .authenticationEntryPoint((request, response, exception) -> {
                            challenge.commence(request, response, exception);
                            ApiProblems.write(response, HttpStatus.UNAUTHORIZED, "A valid access token is required.");
                        })
                        .accessDeniedHandler((request, response, exception) -> {
                            denied.handle(request, response, exception);
                            ApiProblems.write(
                                    response, HttpStatus.FORBIDDEN, "The access token lacks the scope this needs.");
                        }))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    /** A minimal RFC 9457 body for the API's authentication failures. */
    static final class ApiProblems {

        private ApiProblems() {}

        static void write(jakarta.servlet.http.HttpServletResponse response, HttpStatus status, String detail)
                throws java.io.IOException {
            response.setStatus(status.value());
            response.setContentType("application/problem+json");
            response.getWriter()
                    .write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
                            + status.value() + ",\"detail\":\"" + detail + "\"}");
        }
    }
}
