/**
 * The local store: the encrypted SQLite vault, signed revocable consent records and the tamper-evident
 * audit log. Free of JavaFX; exposed to the GUI and the CLI through services in the app module.
 */
package org.sovereign.store;
