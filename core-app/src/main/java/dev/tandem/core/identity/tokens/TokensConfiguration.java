package dev.tandem.core.identity.tokens;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;

@Configuration(proxyBeanMethods = false)
class TokensConfiguration {

    /** How core-app's own bearer-token endpoints verify access tokens (see {@link AccessTokens#decoder()}). */
    @Bean
    JwtDecoder accessTokenDecoder(AccessTokens tokens) {
        return tokens.decoder();
    }
}
