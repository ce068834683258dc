package org.sovereign.store.audit.log;

/** The entry types the workstation writes. New types may be added; existing names never change meaning. */
public final class AuditTypes {
    public static final String VAULT_CREATED = "vault.created";
    public static final String VAULT_UNLOCKED = "vault.unlocked";
    public static final String VAULT_PASSPHRASE_CHANGED = "vault.passphrase_changed";
    /** A new passphrase was set with the recovery key. */
    public static final String VAULT_PASSPHRASE_RECOVERED = "vault.passphrase_recovered";
    public static final String VAULT_RECOVERY_KEY_CREATED = "vault.recovery_key_created";
    public static final String VAULT_RECOVERY_KEY_REMOVED = "vault.recovery_key_removed";
    public static final String CONSENT_GIVEN = "consent.given";
    public static final String CONSENT_RENEWED = "consent.renewed";
    public static final String CONSENT_WITHDRAWN = "consent.withdrawn";
    public static final String CONSENT_EXPIRED = "consent.expired";
    public static final String INFERENCE = "inference";
    public static final String DOCUMENT_INGESTED = "document.ingested";
    public static final String DOCUMENT_ERASED = "document.erased";
    /** Written before a pack is moved into place; {@link #PACK_INSTALLED} after names it ({@code intent=SEQ}). */
    public static final String PACK_INSTALLING = "pack.installing";
    public static final String PACK_INSTALLED = "pack.installed";
    /** Written before a pack's folder is taken out of the packs folder; {@link #PACK_REMOVED} after names it. */
    public static final String PACK_REMOVING = "pack.removing";
    public static final String PACK_REMOVED = "pack.removed";
    public static final String PACK_VERIFIED = "pack.verified";
    public static final String PACK_REJECTED = "pack.rejected";
    public static final String PACK_TRUSTED_ANYWAY = "pack.trusted_anyway";
    public static final String MESH_JOINED = "mesh.joined";
    public static final String MESH_SYNCED = "mesh.synced";
    public static final String MESH_LEFT = "mesh.left";
    /** A message carrying mesh records went to peers: how many, whose logs and places, bytes, to whom. */
    public static final String MESH_RECORDS_SENT = "mesh.records_sent";
    /** A network connection was opened, a listener started, a connection accepted, closed or refused (egress guard). */
    public static final String EGRESS_CONNECTED = "egress.connected";
    public static final String EGRESS_LISTENING = "egress.listening";
    public static final String EGRESS_ACCEPTED = "egress.accepted";
    public static final String EGRESS_CLOSED = "egress.closed";
    public static final String EGRESS_REFUSED = "egress.refused";
    public static final String BACKUP_CREATED = "backup.created";
    public static final String BACKUP_RESTORED = "backup.restored";
    public static final String LOG_REANCHORED = "audit.reanchored";

    private AuditTypes() {
    }
}
