/** File-system helpers of the local store: files private to their owner. */
package org.sovereign.store.fs;
