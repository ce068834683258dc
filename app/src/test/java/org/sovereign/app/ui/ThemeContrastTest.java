package org.sovereign.app.ui;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both themes' text colours against the backgrounds they are drawn on meet WCAG 2.x AA for body text (contrast
 * ratio at least 4.5:1). Reads the colour variables from the stylesheets themselves, so changing a colour in either
 * file is checked.
 */
class ThemeContrastTest {

    private static final String LIGHT = "/org/sovereign/app/ui/workstation.css";
    private static final String DARK = "/org/sovereign/app/ui/workstation-dark.css";
    private static final double AA_BODY = 4.5;
    private static final Pattern VARIABLE = Pattern.compile("(-(?:sw|fx)-[a-z-]+)\\s*:\\s*(#[0-9a-fA-F]{6})\\s*;");

    /** Text colour, background: every place a themed text colour sits on a themed background. */
    private static final List<String[]> PAIRS = pairs();

    private static List<String[]> pairs() {
        List<String[]> out = new ArrayList<>();
        for (String text : List.of("fg", "muted", "link", "warning", "error", "success", "source", "plain", "match", "passage")) {
            for (String background : List.of("bg", "surface", "surface-alt", "panel")) {
                out.add(new String[] {"-sw-" + text, "-sw-" + background});
            }
        }
        for (String[] p : new String[][] {{"on-accent", "accent"}, {"rail-fg", "rail"}, {"rail-brand", "rail"},
                {"rail-fg", "rail-hover"}, {"on-accent", "rail-hover"}, {"chip-fg", "chip-bg"},
                {"chip-refused-fg", "chip-refused-bg"}, {"warning", "confirm-bg"}, {"fg", "confirm-bg"},
                {"fg", "summary-bg"}, {"muted", "summary-bg"}, {"fg", "gate-from"}, {"fg", "gate-to"}}) {
            out.add(new String[] {"-sw-" + p[0], "-sw-" + p[1]});
        }
        return out;
    }

    @Test
    void everyTextColourMeetsAaOnItsBackgroundsInBothThemes() throws IOException {
        Map<String, String> light = rootVariables(LIGHT);
        Map<String, String> dark = new LinkedHashMap<>(light);
        dark.putAll(rootVariables(DARK));
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> theme : Map.of("light", light, "dark", dark).entrySet()) {
            for (String[] pair : PAIRS) {
                double ratio = contrast(colour(theme.getValue(), pair[0]), colour(theme.getValue(), pair[1]));
                if (ratio < AA_BODY) {
                    failures.add(String.format(Locale.ROOT, "%s: %s on %s is %.2f:1", theme.getKey(), pair[0], pair[1], ratio));
                }
            }
        }
        // Modena draws the dark theme's standard controls with its light text on these backgrounds
        for (String background : List.of("-fx-background", "-fx-control-inner-background", "-fx-base")) {
            double ratio = contrast(colour(dark, "-fx-light-text-color"), colour(dark, background));
            if (ratio < AA_BODY) {
                failures.add(String.format(Locale.ROOT, "dark: -fx-light-text-color on %s is %.2f:1", background, ratio));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void theDarkThemeRedefinesEveryThemeColourOfTheLightOne() throws IOException {
        Map<String, String> light = rootVariables(LIGHT);
        Map<String, String> dark = rootVariables(DARK);
        List<String> themed = light.keySet().stream().filter(k -> k.startsWith("-sw-")).toList();
        assertThat(themed).hasSizeGreaterThan(20);
        assertThat(dark.keySet()).containsAll(themed);
        assertThat(dark.get("-sw-bg")).isNotEqualTo(light.get("-sw-bg"));
        String rules = read(LIGHT);
        String afterRoot = rules.substring(rules.indexOf('}', rules.indexOf(".root {")));
        assertThat(Pattern.compile("#[0-9a-fA-F]{3,6}\\b").matcher(afterRoot).find())
                .as("rules after .root use the theme variables, not literal colours").isFalse();
    }

    @Test
    void theContrastFormulaGivesTheKnownValues() {
        assertThat(contrast(0x000000, 0xffffff)).isCloseTo(21.0, Offset.offset(0.01));
        assertThat(contrast(0x777777, 0xffffff)).isCloseTo(4.48, Offset.offset(0.01));
        assertThat(contrast(0xffffff, 0xffffff)).isEqualTo(1.0);
    }

    /** WCAG 2.x contrast ratio of two sRGB colours. */
    static double contrast(int a, int b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(int rgb) {
        return 0.2126 * channel(rgb >> 16) + 0.7152 * channel(rgb >> 8) + 0.0722 * channel(rgb);
    }

    private static double channel(int value) {
        double c = (value & 0xff) / 255.0;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static int colour(Map<String, String> vars, String name) {
        String hex = vars.get(name);
        assertThat(hex).as(name + " is defined").isNotNull();
        return Integer.parseInt(hex.substring(1), 16);
    }

    /** The {@code name: #rrggbb;} declarations of the stylesheet's first {@code .root} rule. */
    private static Map<String, String> rootVariables(String resource) throws IOException {
        String css = read(resource);
        int start = css.indexOf(".root {");
        assertThat(start).as(resource + " has a .root rule").isNotNegative();
        String block = css.substring(start, css.indexOf('}', start));
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = VARIABLE.matcher(block);
        while (m.find()) {
            out.put(m.group(1), m.group(2).toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = ThemeContrastTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
