package org.sovereign.archfixture;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;

/** A deliberate violation of the egress rule: opens sockets without the guard. Never run. */
final class ClassOpeningSockets {
    Socket direct() {
        return new Socket();
    }

    InputStream viaUrl(URL url) throws IOException {
        return url.openStream();
    }
}
