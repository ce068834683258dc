package org.sovereign.mesh.membership;

import org.sovereign.mesh.log.Equivocation;
import org.sovereign.mesh.log.LogHead;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.RecordStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Keeps a cooperative's {@link Membership} current as records arrive, and is the admission predicate of its
 * {@code MeshLog}: wrap the log's store in a gate and pass the gate as both store and predicate. A record whose author
 * is not admitted is refused before it is used (before its signature is even checked), and counted: separately for
 * keys nothing admits and for keys that were removed or left.
 */
public final class MembershipGate implements RecordStore, Predicate<String> {
    private volatile Genesis genesis;
    private final RecordStore store;
    private final List<LogRecord> records = new ArrayList<>();
    private final List<Consumer<Membership>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong refusedUnadmitted = new AtomicLong();
    private final AtomicLong refusedRemoved = new AtomicLong();
    private volatile Membership view;

    private MembershipGate(Genesis genesis, RecordStore store) {
        this.genesis = genesis;
        this.store = Objects.requireNonNull(store, "store");
    }

    /** A gate over {@code store}, reading the membership records it already holds. */
    public static MembershipGate over(Genesis genesis, RecordStore store) {
        return read(new MembershipGate(Objects.requireNonNull(genesis, "genesis"), store));
    }

    /**
     * A gate that does not know its cooperative's genesis yet (a short code gives only a prefix of its hash): it
     * refuses every record until {@link #trust} is called.
     */
    public static MembershipGate awaitingGenesis(RecordStore store) {
        return read(new MembershipGate(null, store));
    }

    /** Sets the genesis (once checked) of a gate made by {@link #awaitingGenesis}. */
    public void trust(Genesis checked) {
        if (genesis != null && !genesis.hash().equals(checked.hash())) {
            throw new IllegalStateException("This gate already trusts another genesis.");
        }
        genesis = checked;
        recompute();
    }

    private static MembershipGate read(MembershipGate gate) {
        for (String author : gate.store.heads().keySet()) {
            long from = 1;
            while (true) {
                List<LogRecord> page = gate.store.range(author, from, 1000);
                if (page.isEmpty()) {
                    break;
                }
                page.stream().filter(r -> MembershipRecords.TYPES.contains(r.type())).forEach(gate.records::add);
                from = page.get(page.size() - 1).seq() + 1;
            }
        }
        gate.recompute();
        return gate;
    }

    /** The membership as of the records held now; empty while the genesis is not known. */
    public Optional<Membership> membership() {
        return Optional.ofNullable(view);
    }

    /** Calls {@code listener} with the new view after each change (under the log's lock: keep it short). */
    public void onChange(Consumer<Membership> listener) {
        listeners.add(listener);
    }

    /** Whether records by {@code author} are accepted; a refusal is counted. */
    @Override
    public boolean test(String author) {
        Membership m = view;
        if (m == null) {
            refusedUnadmitted.incrementAndGet();
            return false;
        }
        if (m.admits(author)) {
            return true;
        }
        Membership.State state = m.state(author);
        if (state == Membership.State.REMOVED || state == Membership.State.LEFT) {
            refusedRemoved.incrementAndGet();
        } else {
            refusedUnadmitted.incrementAndGet();
        }
        return false;
    }

    /** Records refused because nothing admits their author (pending and unknown keys). */
    public long refusedUnadmitted() {
        return refusedUnadmitted.get();
    }

    /** Records refused because their author was removed or left. */
    public long refusedRemoved() {
        return refusedRemoved.get();
    }

    private synchronized void recompute() {
        Genesis g = genesis;
        if (g == null) {
            return;
        }
        view = Membership.of(g, records, store.frozen().keySet());
        listeners.forEach(l -> l.accept(view));
    }

    @Override
    public Optional<LogHead> head(String author) {
        return store.head(author);
    }

    @Override
    public Map<String, LogHead> heads() {
        return store.heads();
    }

    @Override
    public Optional<LogRecord> get(String author, long seq) {
        return store.get(author, seq);
    }

    @Override
    public List<LogRecord> range(String author, long fromSeq, int limit) {
        return store.range(author, fromSeq, limit);
    }

    @Override
    public void append(LogRecord record) {
        store.append(record);
        if (MembershipRecords.TYPES.contains(record.type())) {
            synchronized (this) {
                records.add(record);
            }
            recompute();
        }
    }

    @Override
    public void freeze(Equivocation evidence) {
        store.freeze(evidence);
        recompute();
    }

    @Override
    public Map<String, Equivocation> frozen() {
        return store.frozen();
    }

    @Override
    public void rememberPeerHeads(String peer, List<LogHead> heads) {
        store.rememberPeerHeads(peer, heads);
    }

    @Override
    public Map<String, List<LogHead>> peerHeads() {
        return store.peerHeads();
    }
}
