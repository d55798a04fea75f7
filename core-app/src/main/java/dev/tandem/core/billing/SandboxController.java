package dev.tandem.core.billing;

import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.core.identity.workspaces.WorkspaceNotFoundException;
import dev.tandem.core.identity.workspaces.Workspaces;
import dev.tandem.core.identity.workspaces.Workspaces.Membership;
import dev.tandem.schema.workspaces.WorkspaceAction;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The sandbox's stand-in for a bank's confirmation page (3-D Secure): a member who may manage the
 * billing of the payment's workspace approves a payment that required their action, and comes back
 * to the billing page, which reads the payment again. Anyone else gets 404.
 */
@Controller
@ConditionalOnProperty(name = "tandem.billing.provider", havingValue = "sandbox", matchIfMissing = true)
class SandboxController {

    private final SandboxPaymentProvider sandbox;
    private final Workspaces workspaces;
    private final JdbcClient jdbc;

    SandboxController(SandboxPaymentProvider sandbox, Workspaces workspaces, JdbcClient jdbc) {
        this.sandbox = sandbox;
        this.workspaces = workspaces;
        this.jdbc = jdbc;
    }

    @GetMapping("/billing/sandbox/{intent}")
    String page(@PathVariable String intent, Model model) {
        Membership workspace = payer(intent);
        model.addAttribute("intent", intent);
        model.addAttribute("workspace", workspace);
        model.addAttribute("payment", sandbox.payment(intent));
        return "billing/sandbox";
    }

    @PostMapping("/billing/sandbox/{intent}")
    String approve(@PathVariable String intent) {
        Membership workspace = payer(intent);
        sandbox.complete(intent);
        return "redirect:/w/" + workspace.slug() + "/billing/payments/" + intent;
    }

    /** The workspace that owes the payment, if the account may manage its billing. */
    private Membership payer(String intent) {
        long account = CurrentAccount.require().id();
        return jdbc.sql("""
                        select i.workspace_id from payments p join invoices i on i.id = p.invoice_id
                        where p.provider = 'sandbox' and p.intent_ref = ?
                        """)
                .param(intent)
                .query(Long.class)
                .optional()
                .flatMap(workspaceId -> workspaces.membership(account, workspaceId))
                .filter(membership -> membership.may(WorkspaceAction.MANAGE_BILLING))
                .orElseThrow(WorkspaceNotFoundException::new);
    }
}
