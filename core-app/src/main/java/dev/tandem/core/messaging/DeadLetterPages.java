package dev.tandem.core.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The operators' page on dead letters ({@code /ops/dead-letters}, staff with their second factor):
 * each consumer queue's dead letters with their error, a replay and a discard button per message.
 */
@Controller
class DeadLetterPages {

    /** Dead letters shown per queue. */
    static final int SHOWN = 50;

    private final DeadLetters deadLetters;

    DeadLetterPages(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping("/ops/dead-letters")
    String list(Model model) {
        Map<String, QueueView> queues = new LinkedHashMap<>();
        for (String queue : deadLetters.queues()) {
            queues.put(queue, new QueueView(deadLetters.depth(queue), deadLetters.list(queue, SHOWN)));
        }
        model.addAttribute("queues", queues);
        model.addAttribute("shown", SHOWN);
        return "ops/dead-letters";
    }

    record QueueView(long depth, java.util.List<DeadLetters.DeadLetter> letters) {}

    @PostMapping("/ops/dead-letters/replay")
    String replay(@RequestParam String queue, @RequestParam String messageId, RedirectAttributes redirect) {
        return done(
                redirect,
                known(queue) && deadLetters.replay(queue, messageId),
                "Message " + messageId + " is back in " + queue + ".");
    }

    @PostMapping("/ops/dead-letters/discard")
    String discard(@RequestParam String queue, @RequestParam String messageId, RedirectAttributes redirect) {
        return done(
                redirect,
                known(queue) && deadLetters.discard(queue, messageId),
                "Message " + messageId + " was discarded.");
    }

    private boolean known(String queue) {
        return deadLetters.queues().contains(queue);
    }

    private static String done(RedirectAttributes redirect, boolean found, String success) {
        if (found) {
            redirect.addFlashAttribute("notice", success);
        } else {
            redirect.addFlashAttribute("problem", "No such dead letter: it was replayed or discarded already.");
        }
        return "redirect:/ops/dead-letters";
    }
}
