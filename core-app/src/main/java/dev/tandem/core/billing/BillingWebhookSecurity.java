package dev.tandem.core.billing;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The providers' webhooks are open to anyone and carry no session or CSRF token: their signature,
 * checked by {@link WebhookInbox}, is what authenticates them.
 */
@Configuration(proxyBeanMethods = false)
class BillingWebhookSecurity {

    @Bean
    @Order(2)
    SecurityFilterChain billingWebhooks(HttpSecurity http) throws Exception {
        http.securityMatcher("/billing/webhooks/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }
}
