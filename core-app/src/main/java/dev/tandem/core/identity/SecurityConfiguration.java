package dev.tandem.core.identity;

import dev.tandem.core.identity.login.AccountUserDetailsService;
import dev.tandem.core.identity.login.LoginHandlers;
import dev.tandem.core.identity.login.LoginThrottle;
import dev.tandem.core.identity.login.LoginThrottleFilter;
import dev.tandem.core.identity.mfa.SecondFactor;
import dev.tandem.core.identity.mfa.SecondFactorEntryPoint;
import dev.tandem.core.identity.mfa.TotpAuthenticationFilter;
import dev.tandem.core.identity.mfa.TotpService;
import dev.tandem.core.platform.MetricsAccess;
import dev.tandem.core.platform.TandemProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.DefaultAuthorizationManagerFactory;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.session.security.web.authentication.SpringSessionRememberMeServices;

/**
 * The security of the web pages: which are public, sign-in by password then (for accounts that
 * need it) by TOTP, sessions in the database, remember-me, CSRF on every form, and the security
 * headers on every response, error pages included. The API's chain is {@link ApiSecurityConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none';"
            + " base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static final String[] PUBLIC_PAGES = {
        "/",
        "/pricing",
        "/signup",
        "/signup/done",
        "/invitations/*",
        "/verify",
        "/login",
        "/password/**",
        "/error",
        "/favicon.ico",
        "/css/**",
        "/img/**",
        "/js/**",
        "/webjars/**",
        "/actuator/health",
        "/actuator/health/**",
        "/actuator/info"
    };

    /** Pages for an account that has given its password but not (yet) its second factor. */
    private static final String[] FIRST_FACTOR_PAGES = {"/login/totp", "/account/mfa/setup", "/logout"};

    @Bean
    SecurityFilterChain web(
            HttpSecurity http,
            TandemProperties properties,
            LoginHandlers handlers,
            LoginThrottle throttle,
            TotpService totp,
            SpringSessionRememberMeServices rememberMe)
            throws Exception {
        http.authorizeHttpRequests(requests -> requests.requestMatchers(PUBLIC_PAGES)
                        .permitAll()
                        .requestMatchers("/actuator/prometheus")
                        .access(new MetricsAccess(properties.metricsToken()))
                        .requestMatchers(FIRST_FACTOR_PAGES)
                        .access(AuthenticatedAuthorizationManager.authenticated())
                        .requestMatchers("/ops/**", "/admin/**")
                        .hasRole("STAFF")
                        .anyRequest()
                        .authenticated())
                .formLogin(form -> form.loginPage("/login")
                        .usernameParameter("email")
                        .successHandler(handlers.success())
                        .failureHandler(handlers.failure())
                        .permitAll())
                .rememberMe(remember -> remember.rememberMeServices(rememberMe))
                .logout(logout -> logout.logoutSuccessUrl("/?signedOut"))
                .exceptionHandling(exceptions -> exceptions.defaultDeniedHandlerForMissingAuthority(
                        new SecondFactorEntryPoint(), SecondFactor.AUTHORITY))
                .addFilterBefore(new LoginThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(
                        new TotpAuthenticationFilter(totp, throttle), UsernamePasswordAuthenticationFilter.class)
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                        .frameOptions(frame -> frame.deny()))
                .httpBasic(basic -> basic.disable());
        return http.build();
    }

    /** Every rule built with it ({@code authenticated()}, {@code hasRole}, ...) also demands the second factor where one is due. */
    @Bean
    DefaultAuthorizationManagerFactory<RequestAuthorizationContext> authorizationManagerFactory(
            RoleHierarchy roleHierarchy) {
        DefaultAuthorizationManagerFactory<RequestAuthorizationContext> factory =
                new DefaultAuthorizationManagerFactory<>();
        factory.setRoleHierarchy(roleHierarchy);
        factory.setAdditionalAuthorization(new SecondFactor());
        return factory;
    }

    @Bean
    RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("ROLE_ADMIN > ROLE_STAFF\nROLE_STAFF > ROLE_USER");
    }

    /**
     * Argon2id with OWASP's parameters: m = 19 MiB, t = 2, p = 1 (devstack's DemoData writes the
     * same), at most two hashes per core at once.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new BoundedPasswordEncoder(
                new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2),
                2 * Runtime.getRuntime().availableProcessors());
    }

    /** Password checks outside the sign-in form (the token endpoint, re-confirmation). */
    @Bean
    AuthenticationManager passwordAuthentication(AccountUserDetailsService accounts, PasswordEncoder encoder) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(accounts);
        provider.setPasswordEncoder(encoder);
        provider.setUserDetailsPasswordService(accounts);
        return new ProviderManager(provider);
    }
}
