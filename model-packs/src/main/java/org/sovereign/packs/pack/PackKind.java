package org.sovereign.packs.pack;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a pack's model does. {@link #RERANKER} is reserved: format version 1 refuses it. */
public enum PackKind {
    @JsonProperty("text-generation") TEXT_GENERATION,
    @JsonProperty("embedding") EMBEDDING,
    @JsonProperty("reranker") RERANKER
}
