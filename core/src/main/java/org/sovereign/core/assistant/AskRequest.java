package org.sovereign.core.assistant;

import org.sovereign.packs.generation.GenerationRequest;

import java.util.Map;

/**
 * A question for the assistant.
 *
 * @param question       what the person asked; not blank
 * @param purpose        the purpose a consent must cover (e.g. "private assistant")
 * @param passages       how many passages to retrieve, at least 1
 * @param packId         the text-generation pack to answer with, or {@code null} to show retrieved passages only
 * @param conversationId the conversation to continue, or a negative number to start a new one
 * @param instructions   the instructions for the model; {@code null} keeps the conversation's own (a new conversation
 *                       then uses {@link AssistantService#DEFAULT_INSTRUCTIONS})
 * @param generation     answer length and sampling
 * @param replaceFrom    edit-and-resend: the stored exchange this question replaces, with every later one; negative
 *                       for none
 * @param auditRefs      more references for the answer's audit entry (ids only, never content), e.g. the local API
 *                       client that asked; empty for none
 */
public record AskRequest(String question, String purpose, int passages, String packId, long conversationId,
                         String instructions, GenerationRequest generation, long replaceFrom,
                         Map<String, String> auditRefs) {

    public AskRequest {
        auditRefs = Map.copyOf(auditRefs);
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("The question is empty");
        }
        if (passages < 1) {
            throw new IllegalArgumentException("At least one passage must be retrieved");
        }
    }

    /** A question without further audit references. */
    public AskRequest(String question, String purpose, int passages, String packId, long conversationId,
                      String instructions, GenerationRequest generation, long replaceFrom) {
        this(question, purpose, passages, packId, conversationId, instructions, generation, replaceFrom, Map.of());
    }

    /** The same question with {@code refs} added to its audit entry. */
    public AskRequest withAuditRefs(Map<String, String> refs) {
        return new AskRequest(question, purpose, passages, packId, conversationId, instructions, generation, replaceFrom,
                refs);
    }

    /** A new question (no edit-and-resend). */
    public AskRequest(String question, String purpose, int passages, String packId, long conversationId,
                      String instructions, GenerationRequest generation) {
        this(question, purpose, passages, packId, conversationId, instructions, generation, -1);
    }
}
