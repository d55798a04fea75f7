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
        // Counted from hot-path's content events (account_activity), not by scanning its tables.
        Activity activity = jdbc.sql("select coalesce(max(posts_written), 0) as posts,"
                        + " coalesce(max(comments_written), 0) as comments,"
                        + " coalesce(max(comments_received), 0) as received from account_activity where user_id = ?")
                .param(account.id())
                .query((rs, row) -> new Activity(rs.getLong("posts"), rs.getLong("comments"), rs.getLong("received")))
                .single();
        model.addAttribute("activity", activity);
        model.addAttribute(
                "apiKeyCount",
                count("select count(*) from api_keys where user_id = ? and revoked_at is null", account.id()));
        return "web/dashboard";
    }

    /** What the account has written, and the comments its posts received. */
    record Activity(long posts, long comments, long commentsReceived) {}

    private long count(String sql, long userId) {
        return jdbc.sql(sql).param(userId).query(Long.class).single();
    }
}
