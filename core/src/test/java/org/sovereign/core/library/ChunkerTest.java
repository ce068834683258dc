package org.sovereign.core.library;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkerTest {

    private static final String[] WORDS = {"hive", "queen", "drone", "nectar", "pollen", "frame", "brood", "honey",
            "smoker", "swarm", "comb", "wax", "forager", "colony", "apiary", "super"};

    private static String prose(Random random, int sentences) {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            int len = 3 + random.nextInt(25);
            for (int w = 0; w < len; w++) {
                String word = WORDS[random.nextInt(WORDS.length)];
                sb.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
                sb.append(w == len - 1 ? ". " : " ");
            }
            if (random.nextInt(6) == 0) {
                sb.append("\n\n");
            }
        }
        return sb.toString();
    }

    @RepeatedTest(20)
    void passagesCoverTheTextInOrderWithOffsetsThatPointBackIntoIt() {
        Random random = new Random(42 + System.identityHashCode(this) % 1000);
        String text = prose(random, 40 + random.nextInt(200));
        Chunker chunker = Chunker.defaults();

        List<Chunk> chunks = chunker.split(text);

        assertThat(chunks).isNotEmpty();
        assertThat(chunks.get(0).start()).isEqualTo(text.indexOf(text.strip()));
        assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(text.stripTrailing().length());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertThat(c.index()).isEqualTo(i);
            assertThat(text.substring(c.start(), c.end())).isEqualTo(c.text());
            assertThat(c.tokens()).isLessThanOrEqualTo(200);
            if (i > 0) {
                Chunk prev = chunks.get(i - 1);
                assertThat(c.start()).as("moves forward").isGreaterThan(prev.start());
                assertThat(c.start()).as("no gap between passages").isLessThanOrEqualTo(prev.end() + 2);
            }
        }
    }

    @Test
    void consecutivePassagesOverlapBySomeSentences() {
        String text = prose(new Random(7), 120);

        List<Chunk> chunks = Chunker.defaults().split(text);

        assertThat(chunks.size()).isGreaterThan(3);
        long overlapping = chunks.stream().skip(1).filter(c -> c.start() < chunks.get(c.index() - 1).end()).count();
        assertThat(overlapping).isGreaterThanOrEqualTo(chunks.size() / 2);
    }

    @Test
    void aHugeSentenceIsCutByWords() {
        String text = "word ".repeat(5000).strip();

        List<Chunk> chunks = Chunker.defaults().split(text);

        assertThat(chunks).hasSizeGreaterThan(20).allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(200));
        assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(text.length());
    }

    @Test
    void emptyTextHasNoPassages() {
        assertThat(Chunker.defaults().split("  \n\n ")).isEmpty();
    }
}
