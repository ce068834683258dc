/**
 * The encrypted vault: one SQLite file holding encrypted content, scope data keys and the device
 * identity.
 *
 * <p>Entry points: {@link org.sovereign.store.vault.Vault#create}, {@link org.sovereign.store.vault.Vault#open}
 * and {@link org.sovereign.store.vault.Vault#unlock}, which returns a
 * {@link org.sovereign.store.vault.VaultSession} holding the keys. Encrypted values are bound to
 * their {@link org.sovereign.store.vault.CellAddress} and scope, so moving a ciphertext elsewhere
 * makes it fail with {@link org.sovereign.store.vault.TamperedDataException}. Erasing a
 * {@link org.sovereign.store.vault.Scope} destroys its data key (crypto-shredding).
 *
 * <p>Secrets: passphrases ({@code char[]}) stay owned by the caller, who wipes them; keys are owned
 * by the session and wiped on lock; decrypted plaintexts are owned by the caller. Every failure is a
 * {@link org.sovereign.store.vault.VaultException} with a plain-English message that never contains
 * secret material.
 */
package org.sovereign.store.vault;
