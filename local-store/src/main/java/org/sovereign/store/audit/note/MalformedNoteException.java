package org.sovereign.store.audit.note;

/** The bytes are not a well-formed signed note (or the text cannot be signed as one). */
public final class MalformedNoteException extends NoteException {
    public MalformedNoteException(String message) {
        super("malformed note: " + message);
    }
}
