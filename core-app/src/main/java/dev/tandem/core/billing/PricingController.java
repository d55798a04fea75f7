package dev.tandem.core.billing;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The public pricing page, built from the catalogue; monthly or yearly by a link (no JavaScript needed). */
@Controller
class PricingController {

    private final Catalogue catalogue;
    private final BillingProperties properties;

    PricingController(Catalogue catalogue, BillingProperties properties) {
        this.catalogue = catalogue;
        this.properties = properties;
    }

    @GetMapping("/pricing")
    String pricing(@RequestParam(defaultValue = "month") String interval, Model model) {
        model.addAttribute("interval", "year".equals(interval) ? BillingInterval.YEAR : BillingInterval.MONTH);
        model.addAttribute("offers", catalogue.offers(properties.currency()));
        return "billing/pricing";
    }
}
