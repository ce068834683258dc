package org.sovereign.packs.pack;

/** Where the model came from and how it was converted. */
public record Provenance(String source, String baseModel, String converter, String converterVersion,
                         String trainingDataStatement) {
}
