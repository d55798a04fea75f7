package dev.tandem.core.identity.account;

import jakarta.validation.Valid;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

@Controller
@RequestMapping("/signup")
class SignUpController {

    private final SignUpService signUp;
    private final PasswordPolicy policy;

    SignUpController(SignUpService signUp, PasswordPolicy policy) {
        this.signUp = signUp;
        this.policy = policy;
    }

    /** The form; {@code email} fills in the address (the link of an invitation to it). */
    @GetMapping
    String form(@RequestParam(defaultValue = "") String email, Model model) {
        model.addAttribute("form", new SignUpForm(email.length() <= 254 ? email.strip() : "", "", ""));
        return "identity/signup";
    }

    @PostMapping
    String submit(@Valid @ModelAttribute("form") SignUpForm form, BindingResult errors, RedirectAttributes redirect) {
        if (!errors.hasFieldErrors("password")) {
            policy.violations(form.password(), form.normalizedEmail())
                    .forEach(message -> errors.rejectValue("password", "password.policy", message));
        }
        if (errors.hasErrors()) {
            return "identity/signup";
        }
        signUp.register(form);
        redirect.addFlashAttribute("email", form.normalizedEmail());
        return "redirect:/signup/done";
    }

    @GetMapping("/done")
    String done() {
        return "identity/signup-done";
    }
}
