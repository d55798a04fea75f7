package dev.tandem.core.identity;

import jakarta.validation.Valid;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

@Controller
@RequestMapping("/signup")
class SignUpController {

    private final SignUpService signUp;

    SignUpController(SignUpService signUp) {
        this.signUp = signUp;
    }

    @GetMapping
    String form(Model model) {
        model.addAttribute("form", SignUpForm.empty());
        return "identity/signup";
    }

    @PostMapping
    String submit(@Valid @ModelAttribute("form") SignUpForm form, BindingResult errors, RedirectAttributes redirect) {
        if (!errors.hasErrors()
                && form.password()
                        .toLowerCase(Locale.ROOT)
                        .contains(form.normalizedEmail().toLowerCase(Locale.ROOT))) {
            errors.rejectValue(
                    "password", "password.containsEmail", "Your password must not contain your email address.");
        }
        if (errors.hasErrors()) {
            return "identity/signup";
        }
        try {
            signUp.register(form);
        } catch (EmailAlreadyRegisteredException e) {
            errors.rejectValue("email", "email.taken", "An account with this email address already exists.");
            return "identity/signup";
        }
        redirect.addFlashAttribute("email", form.normalizedEmail());
        return "redirect:/signup/done";
    }

    @GetMapping("/done")
    String done() {
        return "identity/signup-done";
    }
}
