package org.sovereign.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This build's version, as Maven filtered it into {@code version.properties}. */
public final class Version {

    private Version() {
    }

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        return property("version");
    }

    /** The numeric application version the installers carry, e.g. {@code 0.1.0} (no qualifier). */
    public static String application() {
        return property("appVersion");
    }

    private static String property(String name) {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(name, "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
