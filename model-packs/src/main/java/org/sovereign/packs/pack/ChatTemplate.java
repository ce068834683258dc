package org.sovereign.packs.pack;

/** A chat template, either a pack file ({@code path}) or inline text ({@code inline}); exactly one is set. */
public record ChatTemplate(String path, String inline) {
}
