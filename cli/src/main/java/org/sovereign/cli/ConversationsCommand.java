package org.sovereign.cli;

import org.sovereign.core.assistant.ConversationService;
import org.sovereign.core.common.Progress;
import org.sovereign.core.store.StoreService;
import org.sovereign.store.LocalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sovereign conversations}: the assistant's stored (encrypted) conversations. */
@Command(name = "conversations", mixinStandardHelpOptions = true,
        description = "The assistant's conversations, stored encrypted in the vault.",
        subcommands = {ConversationsCommand.ListConversations.class, ConversationsCommand.Delete.class})
final class ConversationsCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return SovereignCli.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Lists the conversations, the most recent first: id, last activity, questions, title.",
                    "Continue one with 'sovereign ask QUESTION --conversation ID'."})
    static final class ListConversations implements Callable<Integer> {
        private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

        @ParentCommand
        ConversationsCommand parent;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (LocalStore store = parent.root.context(true).store().unlock(passphrase.read("Passphrase", false))) {
                List<ConversationService.Summary> all = StoreService.translate(() -> new ConversationService(store).list());
                if (all.isEmpty()) {
                    out.println("No conversations yet.");
                }
                for (ConversationService.Summary c : all) {
                    out.printf("%d  %s  %d question%s  %s%n", c.id(), WHEN.format(c.lastActivity()), c.exchanges(),
                            c.exchanges() == 1 ? "" : "s", TerminalText.safe(c.title()));
                }
            }
            return SovereignCli.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Deletes a conversation for good: its key is erased, so its questions and answers can never "
                    + "be read again.", "The deletion is recorded in the audit log."})
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        ConversationsCommand parent;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Parameters(paramLabel = "ID", description = "The conversation's id, as 'sovereign conversations list' shows it.")
        long id;

        @Override
        public Integer call() {
            try (LocalStore store = parent.root.context(true).store().unlock(passphrase.read("Passphrase", false))) {
                StoreService.translate(() -> {
                    new ConversationService(store).delete(id);
                    return null;
                });
            }
            spec.commandLine().getOut().println("Conversation " + id + " deleted.");
            return SovereignCli.OK;
        }
    }
}
