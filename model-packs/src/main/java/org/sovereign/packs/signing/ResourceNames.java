package org.sovereign.packs.signing;

/** Canonical OMS resource names: relative, '/'-separated, no empty, '.' or '..' segments, no trailing '/'. */
final class ResourceNames {
    private ResourceNames() {
    }

    /** A description of what is wrong with {@code name}, or null when it is canonical. */
    static String problem(String name) {
        if (name.isEmpty()) {
            return "an empty file name";
        }
        if (name.startsWith("/") || name.indexOf('\\') >= 0) {
            return "a file name that is absolute or uses backslashes: '" + OmsStatement.clip(name) + "'";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "a file name that is not canonical: '" + OmsStatement.clip(name) + "'";
            }
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return "a file name with a control character";
            }
        }
        return null;
    }

    /** True when {@code name} is one of {@code ignore} or lies beneath one of them. */
    static boolean ignored(String name, Iterable<String> ignore) {
        for (String entry : ignore) {
            if (name.equals(entry) || name.startsWith(entry + "/")) {
                return true;
            }
        }
        return false;
    }
}
