package org.sovereign.core.assistant;

import org.sovereign.core.library.Passage;
import org.sovereign.packs.generation.GenerationResult;

import java.util.List;

/**
 * What the assistant answered.
 *
 * @param text           the answer; with no model, the retrieved passages themselves, clearly labelled
 * @param citations      the passages it was given, numbered from 1 in the order shown to the model
 * @param generated      true when a model wrote the answer; false when only retrieved passages are shown
 * @param consentId      the consent that covered it
 * @param auditSequence  the audit log entry recording it
 * @param conversationId the conversation (vault scope) it was stored in
 * @param stats          generation figures (tokens/s, time to first token), or {@code null} without a model
 * @param earlierSent    earlier exchanges of the conversation sent to the model with the question (0 without a model)
 * @param earlierLeftOut earlier exchanges left out, the oldest first, to fit the model's context
 * @param earlierWithheld earlier exchanges not sent because no consent covers the documents they cite any more
 */
public record Answer(String text, List<Passage> citations, boolean generated, String consentId, long auditSequence,
                     long conversationId, GenerationResult stats, int earlierSent, int earlierLeftOut,
                     int earlierWithheld) {

    /** An answer that used no earlier exchange. */
    public Answer(String text, List<Passage> citations, boolean generated, String consentId, long auditSequence,
                  long conversationId, GenerationResult stats) {
        this(text, citations, generated, consentId, auditSequence, conversationId, stats, 0, 0, 0);
    }

    /** An answer none of whose earlier exchanges was held back for want of consent. */
    public Answer(String text, List<Passage> citations, boolean generated, String consentId, long auditSequence,
                  long conversationId, GenerationResult stats, int earlierSent, int earlierLeftOut) {
        this(text, citations, generated, consentId, auditSequence, conversationId, stats, earlierSent, earlierLeftOut, 0);
    }
}
