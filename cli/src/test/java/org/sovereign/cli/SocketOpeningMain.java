package org.sovereign.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Child-process entry point for {@link OfflineFlowTest}'s check of its own watch: a process that opens one listening
 * socket on 127.0.0.1 (any free port), holds it across a checkpoint, and closes it. The watch must report it.
 */
public final class SocketOpeningMain {

    private SocketOpeningMain() {
    }

    public static void main(String[] args) throws IOException {
        OfflineFlowMain.loadTheJdksNioLibrary();
        System.out.println("pid " + ProcessHandle.current().pid());
        OfflineFlowMain.checkpoint("started");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.out.println("listening on port " + socket.getLocalPort());
            OfflineFlowMain.checkpoint("opened");
        }
        System.out.println("flow complete");
        OfflineFlowMain.checkpoint("end");
    }
}
