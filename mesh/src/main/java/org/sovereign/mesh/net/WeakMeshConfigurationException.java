package org.sovereign.mesh.net;

/** The mesh refused to start because its configuration is weak; the message is the one-line reason. */
public final class WeakMeshConfigurationException extends IllegalStateException {
    public WeakMeshConfigurationException(String reason) {
        super(reason);
    }
}
