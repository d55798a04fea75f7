package dev.tandem.core.web;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The signed-in home: what needs doing (verify, second factor) and what the account has made. */
@Controller
class DashboardController {

    private final JdbcClient jdbc;

    DashboardController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/dashboard")
    String dashboard(Model model) {
        AccountPrincipal account = CurrentAccount.require();
        model.addAttribute("postCount", count("select count(*) from posts where author_id = ?", account.id()));
        model.addAttribute("commentCount", count("select count(*) from comments where author_id = ?", account.id()));
        model.addAttribute(
                "apiKeyCount",
                count("select count(*) from api_keys where user_id = ? and revoked_at is null", account.id()));
        return "web/dashboard";
    }

    private long count(String sql, long userId) {
        return jdbc.sql(sql).param(userId).query(Long.class).single();
    }
}
