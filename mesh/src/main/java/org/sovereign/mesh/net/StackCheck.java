package org.sovereign.mesh.net;

import org.jgroups.conf.ConfiguratorFactory;
import org.jgroups.conf.ProtocolConfiguration;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses a JGroups stack the mesh must not run, with a one-line reason: no channel encryption, RSA keys shorter than
 * {@value MeshProfile#MIN_RSA_BITS} bits (JGroups' sample {@code asym-encrypt.xml} uses 512), a group cipher in ECB
 * mode (JGroups' default {@code AES} means ECB), UDP or multicast discovery, or the diagnostics listener. The defaults
 * JGroups applies when a property is absent are checked as well.
 */
public final class StackCheck {
    /** JGroups' defaults for ASYM_ENCRYPT (5.5). */
    private static final int JGROUPS_DEFAULT_RSA_BITS = 2048;
    private static final String JGROUPS_DEFAULT_SYM = "AES";

    private StackCheck() {
    }

    /** Why {@code stack} may not run, or empty when it may. */
    public static Optional<String> refusal(List<ProtocolConfiguration> stack) {
        ProtocolConfiguration encrypt = find(stack, "ASYM_ENCRYPT");
        if (encrypt == null) {
            return Optional.of("The mesh configuration does not encrypt the channel (ASYM_ENCRYPT is missing).");
        }
        Map<String, String> p = encrypt.getProperties();
        String asym = p.getOrDefault("asym_algorithm", "RSA");
        if (!asym.equalsIgnoreCase("RSA")) {
            return Optional.of("The mesh configuration uses " + asym + " for the key exchange; only RSA is allowed.");
        }
        int bits;
        try {
            bits = Integer.parseInt(p.getOrDefault("asym_keylength", Integer.toString(JGROUPS_DEFAULT_RSA_BITS)).trim());
        } catch (NumberFormatException e) {
            return Optional.of("The mesh configuration's RSA key size is not a number.");
        }
        if (bits < MeshProfile.MIN_RSA_BITS) {
            return Optional.of("The mesh configuration uses " + bits + "-bit RSA keys, which are too weak; at least "
                    + MeshProfile.MIN_RSA_BITS + " bits are required.");
        }
        String sym = p.getOrDefault("sym_algorithm", JGROUPS_DEFAULT_SYM).trim();
        String[] parts = sym.split("/");
        if (parts.length < 2 || parts[1].equalsIgnoreCase("ECB")) {
            return Optional.of("The mesh configuration encrypts with '" + sym + "', which is ECB mode and leaks "
                    + "patterns; use " + MeshProfile.SYM_ALGORITHM + ".");
        }
        if (!parts[0].equalsIgnoreCase("AES")) {
            return Optional.of("The mesh configuration encrypts with " + parts[0] + "; only AES is allowed.");
        }
        int symBits = Integer.parseInt(p.getOrDefault("sym_keylength", "128").trim());
        if (symBits < 128) {
            return Optional.of("The mesh configuration's group key of " + symBits + " bits is too short.");
        }
        if (stack.isEmpty() || !stack.get(0).getProtocolName().equals("TCP")) {
            String transport = stack.isEmpty() ? "nothing" : stack.get(0).getProtocolName();
            return Optional.of("The mesh connects over TCP only, but the configuration's transport is " + transport
                    + (transport.equals("UDP") ? " (multicast)." : "."));
        }
        for (String multicast : List.of("MPING", "PING", "BPING")) {
            if (find(stack, multicast) != null) {
                return Optional.of("The mesh configuration discovers peers with " + multicast
                        + " (multicast or broadcast), which is off; peers are found from the known-peers list.");
            }
        }
        if (Boolean.parseBoolean(stack.get(0).getProperties().getOrDefault("diag.enabled", "true").trim())) {
            return Optional.of("The mesh configuration leaves JGroups' diagnostics listener on (diag.enabled).");
        }
        return Optional.empty();
    }

    /** Why a stack in JGroups' XML may not run (see {@link #refusal(List)}). */
    public static Optional<String> refusal(InputStream xml) throws Exception {
        return refusal(ConfiguratorFactory.getStackConfigurator(xml).getProtocolStack());
    }

    private static ProtocolConfiguration find(List<ProtocolConfiguration> stack, String name) {
        for (ProtocolConfiguration protocol : stack) {
            String n = protocol.getProtocolName();
            String simple = n.substring(n.lastIndexOf('.') + 1);
            if (n.equals(name) || simple.toUpperCase(Locale.ROOT).equals(name)) {
                return protocol;
            }
        }
        return null;
    }
}
