package dev.tandem.core.identity.sessions;

import dev.tandem.core.identity.IdentityProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.jdbc.config.annotation.web.http.EnableJdbcHttpSession;
import org.springframework.session.security.web.authentication.SpringSessionRememberMeServices;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;

/**
 * Web sessions live in PostgreSQL (Spring Session JDBC, tables {@code spring_session*}), so every
 * replica serves every user and a signed-out session is gone everywhere. Idle sessions end after
 * 30 minutes; "remember me" keeps one for {@code rememberMeLifetime}.
 */
@Configuration(proxyBeanMethods = false)
@EnableJdbcHttpSession(maxInactiveIntervalInSeconds = 1800)
class SessionConfiguration {

    @Bean
    CookieSerializer sessionCookie(@Value("${server.servlet.session.cookie.secure:false}") boolean secure) {
        DefaultCookieSerializer cookie = new DefaultCookieSerializer();
        cookie.setCookieName("TANDEM_SESSION");
        cookie.setUseHttpOnlyCookie(true);
        cookie.setSameSite("Lax");
        cookie.setUseSecureCookie(secure);
        cookie.setRememberMeRequestAttribute(SpringSessionRememberMeServices.REMEMBER_ME_LOGIN_ATTR);
        return cookie;
    }

    @Bean
    SpringSessionRememberMeServices rememberMeServices(IdentityProperties properties) {
        SpringSessionRememberMeServices rememberMe = new SpringSessionRememberMeServices();
        rememberMe.setValiditySeconds((int) properties.rememberMeLifetime().toSeconds());
        return rememberMe;
    }
}
