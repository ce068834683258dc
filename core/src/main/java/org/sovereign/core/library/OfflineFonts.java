package org.sovereign.core.library;

import org.apache.fontbox.FontBoxFont;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.font.CIDFontMapping;
import org.apache.pdfbox.pdmodel.font.FontMapper;
import org.apache.pdfbox.pdmodel.font.FontMappers;
import org.apache.pdfbox.pdmodel.font.FontMapping;
import org.apache.pdfbox.pdmodel.font.PDCIDSystemInfo;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * PDFBox's font lookup, pinned to what is inside its own jar. By default, the first PDF that names a font it does not
 * embed (Helvetica, say) makes PDFBox scan every font folder of the system and write what it found to
 * {@code ~/.pdfbox.cache} in the person's home folder, outside the data directory. Extracting text needs no system
 * font (the widths of the standard fonts ship with PDFBox, and other fonts carry theirs), so every font that is not
 * embedded maps to the fallback font bundled in PDFBox's jar: nothing is scanned, written or fetched. PDFBox itself
 * has no code that fetches fonts over the network.
 */
final class OfflineFonts implements FontMapper {

    /** The fallback font inside PDFBox's jar. */
    static final String BUNDLED_FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    private static boolean installed;

    private volatile TrueTypeFont fallback;

    private OfflineFonts() {
    }

    /** Makes this the font mapper of the process (once; before PDFBox's own would be created). */
    static synchronized void install() {
        if (!installed) {
            FontMappers.set(new OfflineFonts());
            installed = true;
        }
    }

    @Override
    public FontMapping<TrueTypeFont> getTrueTypeFont(String baseFont, PDFontDescriptor descriptor) {
        return new FontMapping<>(fallback(), true);
    }

    @Override
    public FontMapping<FontBoxFont> getFontBoxFont(String baseFont, PDFontDescriptor descriptor) {
        return new FontMapping<>(fallback(), true);
    }

    @Override
    public CIDFontMapping getCIDFont(String baseFont, PDFontDescriptor descriptor, PDCIDSystemInfo cidSystemInfo) {
        return new CIDFontMapping(null, fallback(), true);
    }

    private TrueTypeFont fallback() {
        TrueTypeFont font = fallback;
        if (font == null) {
            synchronized (this) {
                font = fallback;
                if (font == null) {
                    try (InputStream in = FontMapper.class.getResourceAsStream(BUNDLED_FONT)) {
                        if (in == null) {
                            throw new IOException("PDFBox's bundled font is missing");
                        }
                        font = new TTFParser().parse(new RandomAccessReadBuffer(in));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    fallback = font;
                }
            }
        }
        return font;
    }
}
