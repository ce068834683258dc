package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.assistant.Answer;
import org.sovereign.core.assistant.AskRequest;
import org.sovereign.core.assistant.AssistantService;
import org.sovereign.core.assistant.ConversationService;
import org.sovereign.core.assistant.PromptBudget;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.library.Passage;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.ContextLimitExceededException;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Answers a question from your library, streaming the answer and then its citations.",
                "With --pack a text-generation pack writes the answer; without one the most relevant passages are shown.",
                "With --conversation the pack also gets that conversation's earlier questions and answers (the oldest "
                        + "left out first when they do not fit its context).",
                "Needs a consent that covers the documents (and 'generate' with that pack)."})
final class AskCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;
    @Spec
    CommandSpec spec;
    @Mixin
    PassphraseOptions passphrase;
    @Parameters(paramLabel = "QUESTION", arity = "1..*")
    List<String> words;
    @Option(names = "--pack", paramLabel = "NAME", description = "The text-generation pack to answer with.")
    String pack;
    @Option(names = "--conversation", paramLabel = "ID", description = "Continue this conversation (default: a new one).")
    long conversation = -1;
    @Option(names = "--purpose", paramLabel = "P", description = "The purpose consent must cover (default: ${DEFAULT-VALUE}).")
    String purpose = "private assistant";
    @Option(names = "--max-tokens", paramLabel = "N", converter = NumberOptions.AtLeastOne.class,  description = "Longest answer in tokens (default: ${DEFAULT-VALUE}).")
    int maxTokens = 256;
    @Option(names = "--passages", paramLabel = "N", converter = NumberOptions.AtLeastOne.class,  description = "Passages to retrieve (default: ${DEFAULT-VALUE}).")
    int passages = 4;

    @Override
    public Integer call() {
        if (maxTokens < 1 || passages < 1) {
            throw new UserFacingException("--max-tokens and --passages must be at least 1.");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (UnlockedWorkspace workspace = root.context(true).unlock(passphrase.read("Passphrase", false))) {
            // the vectors load with a progress line before the question
            boolean emptyLibrary = LibraryCommands.prepared(workspace, err).sources().isEmpty();
            if (emptyLibrary && pack == null) { // passages only, and there are none: nothing to ask
                out.println(LibraryCommands.EMPTY_LIBRARY);
                return SovereignCli.OK;
            }
            AskRequest request = new AskRequest(String.join(" ", words), purpose, passages, pack, conversation, null,
                    GenerationRequest.greedy(maxTokens));
            Answer answer;
            try {
                answer = StoreService.translate(() -> workspace.assistant().ask(request, (id, delta) -> {
                    out.print(TerminalText.safeMultiline(delta));
                    out.flush();
                }, new CancellationSignal()));
            } catch (ContextLimitExceededException e) {
                out.println();
                throw new UserFacingException(PromptBudget.explain(e) + " (--max-tokens sets the answer's length.)", e);
            }
            out.println();
            if (emptyLibrary) {
                err.println("Note: " + LibraryCommands.EMPTY_LIBRARY);
            }
            if (answer.generated()) {
                List<Passage> cites = answer.citations();
                for (int i = 0; i < cites.size(); i++) {
                    out.printf("[%d] %s (characters %d-%d)%n", i + 1, TerminalText.safe(cites.get(i).document()),
                            cites.get(i).start(), cites.get(i).end());
                }
                err.printf(Locale.ROOT, "%d tokens, %.1f tokens/s, first token after %d ms%n", answer.stats().tokenIds().length,
                        answer.stats().tokensPerSecond(), answer.stats().timeToFirstToken().toMillis());
                if (answer.earlierSent() > 0) {
                    err.println("Sent with " + answer.earlierSent() + " earlier exchange"
                            + (answer.earlierSent() == 1 ? "" : "s") + " of this conversation.");
                }
                if (answer.earlierLeftOut() > 0 || answer.earlierWithheld() > 0) {
                    err.println(PromptBudget.historyNote(answer.earlierLeftOut(), answer.earlierWithheld()));
                }
            }
            err.println("Conversation " + answer.conversationId() + "; recorded as audit entry " + answer.auditSequence()
                    + " under consent " + answer.consentId() + ".");
            return SovereignCli.OK;
        }
    }
}
