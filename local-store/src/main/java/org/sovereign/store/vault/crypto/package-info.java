/**
 * Cryptographic building blocks of the vault: Argon2id passphrase stretching, AES-256-GCM with
 * context-bound associated data, key wrapping, sub-key derivation and the keyed blind index.
 *
 * <p>Secrets are held in {@code byte[]}/{@code char[]} (never in {@code String}) and are wiped as
 * soon as they are no longer needed. {@link org.sovereign.store.vault.crypto.KeyMaterial} is the one
 * holder type for keys; whoever creates or receives a {@code KeyMaterial} owns it and must
 * {@linkplain org.sovereign.store.vault.crypto.KeyMaterial#close() close} it.
 */
package org.sovereign.store.vault.crypto;
