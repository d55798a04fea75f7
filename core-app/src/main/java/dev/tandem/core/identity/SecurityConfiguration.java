package dev.tandem.core.identity;

import dev.tandem.core.platform.MetricsAccess;
import dev.tandem.core.platform.TandemProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The web's security: which pages are public, CSRF on every form, and the security headers on
 * every response, error pages included.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none';"
            + " base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    SecurityFilterChain web(HttpSecurity http, TandemProperties properties) throws Exception {
        http.authorizeHttpRequests(requests -> requests.requestMatchers(
                                "/",
                                "/signup",
                                "/signup/done",
                                "/error",
                                "/favicon.ico",
                                "/css/**",
                                "/img/**",
                                "/webjars/**")
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                        .permitAll()
                        .requestMatchers("/actuator/prometheus")
                        .access(new MetricsAccess(properties.metricsToken()))
                        .anyRequest()
                        .authenticated())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                        .frameOptions(frame -> frame.deny()))
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable());
        return http.build();
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
}
