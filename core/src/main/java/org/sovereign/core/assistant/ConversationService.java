package org.sovereign.core.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.core.common.StoredPaths;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.store.LocalStore;
import org.sovereign.store.vault.ItemInfo;
import org.sovereign.store.vault.Scope;
import org.sovereign.store.vault.UnknownScopeException;
import org.sovereign.store.vault.VaultSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The assistant's conversations, each its own vault scope (so deleting one erases its key: crypto-shredding).
 *
 * <p>In a conversation's scope: {@code exchange} items (question, answer, citations; the earlier ones are sent to
 * the model with each new question, see {@link PromptBudget}) written by {@link AssistantService}, and at most one
 * {@code conversation-meta} item holding what could reveal content: the title, the system prompt and the chosen
 * model pack. Everything is encrypted; the vault's clear-text metadata shows
 * only that a conversation exists, how many items it has and when they were written.
 */
public final class ConversationService {

    /** Audit entry type written when a conversation is deleted (its key erased). */
    public static final String ERASED = "conversation.erased";
    static final String META = "conversation-meta";
    static final String EXCHANGE = "exchange";
    private static final int TITLE_LENGTH = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One conversation in the list. */
    public record Summary(long id, String title, Instant lastActivity, int exchanges) {
        @Override
        public String toString() {
            return title;
        }
    }

    /**
     * A conversation's own settings.
     *
     * @param systemPrompt the instructions for the model; empty means {@link AssistantService#DEFAULT_INSTRUCTIONS}
     * @param packId       the chosen text-generation pack; empty means "no model, passages only"; {@code null} means
     *                     nothing chosen yet (the screen's default applies)
     */
    public record Settings(String title, String systemPrompt, String packId) {
        public Settings {
            title = title == null ? "" : title;
            systemPrompt = systemPrompt == null ? "" : systemPrompt;
        }

        /** The instructions actually given to the model. */
        public String effectiveSystemPrompt() {
            return systemPrompt.isBlank() ? AssistantService.DEFAULT_INSTRUCTIONS : systemPrompt;
        }
    }

    /** A cited passage as stored with an exchange. */
    public record StoredCitation(int number, Path path, int start, int end, String text) {
    }

    /**
     * A stored question and its answer.
     *
     * @param earlierLeftOut earlier exchanges that were left out of the model's prompt to fit its context
     */
    public record StoredExchange(long itemId, Instant time, String question, String answer, boolean generated,
                                 List<StoredCitation> citations, int earlierLeftOut, int earlierWithheld) {

        /** An exchange whose prompt left nothing out. */
        public StoredExchange(long itemId, Instant time, String question, String answer, boolean generated,
                              List<StoredCitation> citations) {
            this(itemId, time, question, answer, generated, citations, 0, 0);
        }
    }

    private final LocalStore store;

    public ConversationService(LocalStore store) {
        this.store = store;
    }

    private VaultSession session() {
        return store.session();
    }

    /** The live conversations, the most recently active first. */
    public List<Summary> list() {
        List<Summary> out = new ArrayList<>();
        for (Scope scope : session().scopes()) {
            if (scope.kind().equals(AssistantService.CONVERSATION) && !scope.isErased()) {
                out.add(summary(scope));
            }
        }
        out.sort(Comparator.comparing(Summary::lastActivity).reversed().thenComparing(Summary::id, Comparator.reverseOrder()));
        return out;
    }

    /** One live conversation. */
    public Summary summary(long id) {
        return summary(live(id));
    }

    private Summary summary(Scope scope) {
        List<ItemInfo> items = session().items(scope.id());
        Instant last = items.stream().map(ItemInfo::createdAt).max(Comparator.naturalOrder()).orElse(scope.createdAt());
        int exchanges = (int) items.stream().filter(i -> i.kind().equals(EXCHANGE)).count();
        String title = settings(scope.id(), items).title();
        if (title.isBlank()) {
            title = items.stream().filter(i -> i.kind().equals(EXCHANGE)).findFirst()
                    .map(i -> shorten(exchange(session().readItem(i.id()).orElseThrow()).question()))
                    .orElse("New conversation");
        }
        return new Summary(scope.id(), title, last, exchanges);
    }

    /** Starts a conversation with these settings (the title may be empty: the first question names it then). */
    public long create(Settings settings) {
        long id = session().createScope(AssistantService.CONVERSATION).id();
        writeSettings(id, settings);
        return id;
    }

    /** The conversation's settings; defaults when none were stored (e.g. a conversation started from the CLI). */
    public Settings settings(long id) {
        live(id);
        return settings(id, session().items(id));
    }

    private Settings settings(long id, List<ItemInfo> items) {
        return items.stream().filter(i -> i.kind().equals(META)).reduce((a, b) -> b)
                .flatMap(i -> session().readItem(i.id()))
                .map(bytes -> {
                    JsonNode n = json(bytes);
                    return new Settings(n.path("title").asText(""), n.path("systemPrompt").asText(""),
                            n.hasNonNull("pack") ? n.path("pack").asText() : null);
                })
                .orElse(new Settings("", "", null));
    }

    /** Replaces the conversation's settings (the old encrypted record is deleted). */
    public void update(long id, Settings settings) {
        live(id);
        writeSettings(id, settings);
    }

    public void rename(long id, String title) {
        String clean = title == null ? "" : title.strip();
        if (clean.isEmpty()) {
            throw new UserFacingException("A conversation needs a title.");
        }
        Settings now = settings(id);
        update(id, new Settings(shorten(clean, 200), now.systemPrompt(), now.packId()));
    }

    public void setSystemPrompt(long id, String prompt) {
        Settings now = settings(id);
        update(id, new Settings(now.title(), prompt == null ? "" : prompt.strip(), now.packId()));
    }

    /** @param packId a pack id, or empty for "no model, passages only" */
    public void setPack(long id, String packId) {
        Settings now = settings(id);
        update(id, new Settings(now.title(), now.systemPrompt(), packId == null ? "" : packId));
    }

    private void writeSettings(long id, Settings settings) {
        List<ItemInfo> old = session().items(id).stream().filter(i -> i.kind().equals(META)).toList();
        ObjectNode n = JSON.createObjectNode();
        n.put("title", settings.title());
        n.put("systemPrompt", settings.systemPrompt());
        if (settings.packId() != null) {
            n.put("pack", settings.packId());
        }
        session().putItem(id, META, bytes(n));
        old.forEach(i -> session().deleteItem(i.id())); // written first, so a crash leaves two, never none
    }

    /** Stores one exchange at the end of the conversation and returns its item id. */
    public long addExchange(long id, ExchangeRecord exchange) {
        live(id);
        try {
            return session().putItem(id, EXCHANGE, JSON.writeValueAsBytes(exchange));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored exchanges, oldest first. */
    public List<StoredExchange> exchanges(long id) {
        live(id);
        List<StoredExchange> out = new ArrayList<>();
        for (ItemInfo info : session().items(id)) {
            if (!info.kind().equals(EXCHANGE)) {
                continue;
            }
            ExchangeRecord x = exchange(session().readItem(info.id()).orElseThrow());
            List<StoredCitation> cites = new ArrayList<>();
            int number = 0;
            for (ExchangeRecord.Citation c : x.citations()) {
                cites.add(new StoredCitation(++number, StoredPaths.of(c.path()), c.start(), c.end(), c.text()));
            }
            out.add(new StoredExchange(info.id(), info.createdAt(), x.question(), x.answer(), x.generated(),
                    List.copyOf(cites), x.earlierLeftOut(), x.earlierWithheld()));
        }
        return out;
    }

    /** The id of the newest stored exchange, if any. */
    public Optional<Long> lastExchangeId(long id) {
        live(id);
        return session().items(id).stream().filter(i -> i.kind().equals(EXCHANGE)).map(ItemInfo::id)
                .max(Comparator.naturalOrder());
    }

    /**
     * Removes the exchange {@code itemId} and every later one (edit-and-resend: the edited question is then asked
     * again and its answer takes the old one's place).
     *
     * @return how many exchanges were removed
     */
    public int removeFrom(long id, long itemId) {
        live(id);
        int removed = 0;
        for (ItemInfo info : session().items(id)) {
            if (info.kind().equals(EXCHANGE) && info.id() >= itemId && session().deleteItem(info.id())) {
                removed++;
            }
        }
        return removed;
    }

    /** Deletes a conversation for good: erases its scope key (crypto-shredding) and records that in the audit log. */
    public void delete(long id) {
        live(id);
        // the key's deletion and its entry commit in one transaction: a crash leaves both or neither
        store.eraseScope(id, ERASED, Map.of("scope", Long.toString(id)));
    }

    private Scope live(long id) {
        Scope scope;
        try {
            scope = session().scope(id);
        } catch (UnknownScopeException e) {
            throw new UserFacingException("There is no conversation " + id + ".", e);
        }
        if (!scope.kind().equals(AssistantService.CONVERSATION)) {
            throw new UserFacingException("There is no conversation " + id + ".");
        }
        if (scope.isErased()) {
            throw new UserFacingException("Conversation " + id + " was deleted; its key is erased.");
        }
        return scope;
    }

    static String shorten(String text) {
        return shorten(text.replace('\n', ' ').strip(), TITLE_LENGTH);
    }

    private static String shorten(String text, int max) {
        return text.length() > max ? text.substring(0, max - 1) + "…" : text;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ExchangeRecord exchange(byte[] bytes) {
        try {
            return JSON.readValue(bytes, ExchangeRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
