package org.sovereign.core.assistant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One question and its answer as stored (encrypted) in a conversation: the single definition of that record, written
 * by {@link ConversationService#addExchange} and read back by {@link ConversationService#exchanges}. Fields added
 * later default to zero when an older record lacks them.
 *
 * @param earlierLeftOut  earlier exchanges left out of the model's prompt to fit its context (omitted when 0)
 * @param earlierWithheld earlier exchanges not sent because no consent covered their documents (omitted when 0)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExchangeRecord(String question, String answer, boolean generated,
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) int earlierLeftOut,
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) int earlierWithheld,
                             List<Citation> citations) {

    public ExchangeRecord {
        question = question == null ? "" : question;
        answer = answer == null ? "" : answer;
        citations = citations == null ? List.of() : List.copyOf(citations);
    }

    /** A passage the answer cited: the document, the character range and the passage's text. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Citation(String path, int start, int end, String text) {
        public Citation {
            text = text == null ? "" : text;
        }
    }
}
