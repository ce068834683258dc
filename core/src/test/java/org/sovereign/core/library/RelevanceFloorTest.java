package org.sovereign.core.library;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vector side's relevance floor ({@link LibraryService#RELEVANCE_FLOOR}) against the bundled MiniLM model: every
 * query below scores above it with the passage that answers it and below it with every other passage. The figures in
 * the floor's comment come from this test's output.
 */
class RelevanceFloorTest {

    /** Short notes of the kind a person keeps, one topic each. */
    static final Map<String, String> PASSAGES = new LinkedHashMap<>();
    /** Queries (a word, a phrase, a question) and the note that answers each. */
    static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        PASSAGES.put("mites", "Dust mites live in mattresses, pillows and carpets and feed on flakes of skin. "
                + "Washing bedding at 60 degrees every week and keeping the bedroom below 50 % humidity keeps them down.");
        PASSAGES.put("bikes", "Check the tyre pressure before every ride: 4 to 5 bar for a road bike, less for a "
                + "mountain bike. Oil the chain every few hundred kilometres and after riding in the rain.");
        PASSAGES.put("pantry", "Flour, rice and pasta keep for months in airtight jars in a cool, dark cupboard. "
                + "Label each jar with the date it was filled and use the oldest first.");
        PASSAGES.put("taxes", "The tax return is due by 31 July. Keep the receipts for work equipment and the "
                + "statement from the bank; the accountant needs both by the end of June.");
        PASSAGES.put("bees", "# Bees\n\nVarroa mites are counted with a sugar roll in August. A strong colony "
                + "keeps them in check; treat with oxalic acid in winter when there is no brood.");
        PASSAGES.put("garden", "Tomatoes need staking when they reach knee height. Water them at the base in the "
                + "morning and pinch out the side shoots.");
        PASSAGES.put("meeting", "Minutes of the residents' meeting: the lift will be repaired in March, the "
                + "courtyard bins move to the north gate, and the next meeting is on 4 February.");
        PASSAGES.put("recipe", "Lentil soup: fry an onion and two carrots, add 200 g of red lentils, a litre of "
                + "stock and a tin of tomatoes, and simmer for twenty-five minutes.");

        PASSAGES.put("insurance", "The car insurance renews on 12 May. The broker offered a lower premium if the "
                + "no-claims bonus is protected; compare with last year's policy before signing.");
        PASSAGES.put("holiday", "Packing list for the coast: passports, sun cream, two swimsuits, the travel "
                + "adapter, walking shoes and the charger for the camera.");
        PASSAGES.put("router", "If the wifi drops, unplug the router for thirty seconds. The admin page is at "
                + "the address on the sticker; the provider's helpline opens at 8.");
        PASSAGES.put("doctor", "The GP called about the blood results: iron is a little low. Eat more leafy "
                + "greens and come back for another test in three months.");

        QUERIES.put("mites", "mites,bees");
        QUERIES.put("dust mites in the bedroom", "mites,bees");
        QUERIES.put("how often should I wash bedding", "mites");
        QUERIES.put("tyre pressure", "bikes");
        // the lift's repair is maintenance too: a loose neighbour (0.32), neither required nor ruled out
        QUERIES.put("bicycle maintenance", "bikes,meeting");
        QUERIES.put("how do I store flour", "pantry");
        QUERIES.put("when is the tax return due", "taxes");
        QUERIES.put("varroa", "bees");
        QUERIES.put("beekeeping in winter", "bees");
        QUERIES.put("tomatoes", "garden,recipe");
        QUERIES.put("when is the next residents meeting", "meeting");
        QUERIES.put("lentil soup recipe", "recipe");
        QUERIES.put("car insurance renewal", "insurance");
        QUERIES.put("what should I pack for the trip", "holiday");
        QUERIES.put("the internet stopped working", "router");
        QUERIES.put("blood test results", "doctor");
    }

    @TempDir
    static Path dir;
    private static MiniLm model;

    @BeforeAll
    static void open() {
        model = MiniLm.open(dir);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void theFloorSeparatesEveryAnsweringPassageFromEveryOther() {
        List<String> keys = new ArrayList<>(PASSAGES.keySet());
        List<float[]> passages = model.embed(new ArrayList<>(PASSAGES.values()));
        double lowestMatch = 1;
        double highestOther = -1;
        List<String> belowFloor = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (Map.Entry<String, String> q : QUERIES.entrySet()) {
            float[] query = model.embed(List.of(q.getKey())).get(0);
            List<String> relevant = List.of(q.getValue().split(","));
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-36s", q.getKey()));
            for (int i = 0; i < keys.size(); i++) {
                double cos = dot(query, passages.get(i));
                boolean match = relevant.get(0).equals(keys.get(i));
                if (match && cos < LibraryService.RELEVANCE_FLOOR) {
                    // below the floor only where the keyword side finds it: the passage holds a word of the query
                    assertThat(QueryWords.of(PASSAGES.get(keys.get(i)))).as(q.getKey())
                            .containsAnyElementsOf(QueryWords.of(q.getKey()));
                    belowFloor.add(q.getKey());
                } else if (match) {
                    lowestMatch = Math.min(lowestMatch, cos);
                } else if (!relevant.contains(keys.get(i))) {
                    highestOther = Math.max(highestOther, cos);
                }
                row.append(String.format(Locale.ROOT, " %s%.2f", match ? "*" : relevant.contains(keys.get(i)) ? "~" : " ",
                        cos));
            }
            table.append(row).append('\n');
        }
        table.append(String.format(Locale.ROOT, "columns %s; * answers, ~ related%n", keys));
        table.append("answers below the floor (found by keyword): ").append(belowFloor).append('\n');
        table.append(String.format(Locale.ROOT, "lowest other answer %.3f, highest unrelated %.3f, floor %.2f%n",
                lowestMatch, highestOther, LibraryService.RELEVANCE_FLOOR));
        System.out.print(table);
        assertThat(lowestMatch).as(table.toString()).isGreaterThan(LibraryService.RELEVANCE_FLOOR);
        assertThat(highestOther).as(table.toString()).isLessThan(LibraryService.RELEVANCE_FLOOR);
        assertThat(belowFloor).as(table.toString()).hasSizeLessThanOrEqualTo(1);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
