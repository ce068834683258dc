package org.sovereign.mesh.net;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.PhysicalAddress;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.ProtocolStackConfigurator;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.Protocol;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.LogSync;
import org.sovereign.store.egress.EgressGuard;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One member of a cooperative on JGroups: it joins the cluster named after the cooperative with the {@link MeshProfile}
 * stack, all sockets opened by the egress guard; announces its log heads on every view (a merge after a partition
 * included), answers and asks as {@link LogSync} says, and pushes the records it writes. Sends run on one thread of
 * their own, never on JGroups' delivery threads. Close it to leave.
 */
public final class MeshNode implements AutoCloseable {
    private final MeshProfile profile;
    private final LogSync sync;
    private final JChannel channel;
    private final ExecutorService sender;
    private final Path knownPeersFile;
    private final AtomicInteger merges = new AtomicInteger();
    private final AtomicInteger views = new AtomicInteger();
    private final Extension extension;
    private final ScheduledExecutorService watcher;
    private final CountDownLatch left = new CountDownLatch(1);
    private final EgressGuard guard;
    private volatile View view;

    /**
     * Messages beside anti-entropy (joining a cooperative), told apart by their first byte: anti-entropy messages
     * start with {@link org.sovereign.mesh.log.SyncMessage#VERSION}, an extension's with a byte of its own.
     */
    public interface Extension {
        /** Whether {@code bytes} is one of this extension's messages. */
        boolean handles(byte[] bytes);

        /** Handles one message from {@code from} (answer with {@link MeshNode#sendExtra}); runs on JGroups' thread. */
        void receive(MeshNode node, Object from, byte[] bytes);
    }

    private MeshNode(MeshProfile profile, LogSync sync, JChannel channel, Path knownPeersFile, Extension extension,
                     EgressGuard guard) {
        this.profile = profile;
        this.guard = guard;
        this.sync = sync;
        this.channel = channel;
        this.knownPeersFile = knownPeersFile;
        this.extension = extension;
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mesh-consent-watch-" + profile.cooperative());
            t.setDaemon(true);
            return t;
        });
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mesh-sender-" + profile.cooperative());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Checks the profile, then joins the cooperative.
     *
     * @param consentId      the share consent outgoing connections rely on (asked at every connection)
     * @param knownPeersFile where members seen in a view are remembered, or {@code null}
     * @throws WeakMeshConfigurationException when the profile's crypto is weak or it would use multicast; nothing was
     *                                        opened
     * @throws Exception                      when JGroups cannot start (a refused or busy port, no peer allowed)
     */
    public static MeshNode join(MeshProfile profile, LogSync sync, EgressGuard guard, Supplier<String> consentId,
                                Path knownPeersFile) throws Exception {
        return join(profile, sync, guard, consentId, knownPeersFile, null);
    }

    /** As {@link #join(MeshProfile, LogSync, EgressGuard, Supplier, Path)}, with an extension's messages handled too. */
    public static MeshNode join(MeshProfile profile, LogSync sync, EgressGuard guard, Supplier<String> consentId,
                                Path knownPeersFile, Extension extension) throws Exception {
        Objects.requireNonNull(sync, "sync");
        List<ProtocolConfiguration> stack = profile.protocols();
        StackCheck.refusal(stack).ifPresent(reason -> {
            throw new WeakMeshConfigurationException(reason);
        });
        GuardedSocketFactory sockets = new GuardedSocketFactory(guard, consentId,
                InetAddress.getByName(profile.bindAddress()), profile.beyondLoopback());
        JChannel channel = new JChannel(new ProtocolStackConfigurator() {
            @Override
            public String getProtocolStackString() {
                return profile.describe();
            }

            @Override
            public List<ProtocolConfiguration> getProtocolStack() {
                return stack;
            }

            @Override
            public void afterCreation(Protocol protocol) {
                if (protocol instanceof TP transport) {
                    transport.setSocketFactory(sockets);
                }
            }
        });
        MeshNode node = new MeshNode(profile, sync, channel, knownPeersFile, extension, guard);
        try {
            channel.setDiscardOwnMessages(true);
            channel.name(sync.log().self()); // peers remember the heads it announces under its member key (LogSync)
            channel.setReceiver(node.new Delivery());
            channel.connect(profile.cooperative());
            node.announce();
            return node;
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
    }

    /** Signs and appends a record to this member's log and pushes it to the group. */
    public LogRecord append(String type, int version, ObjectNode body) {
        LogRecord record = sync.log().append(type, version, body);
        send(null, LogSync.push(List.of(record)));
        return record;
    }

    /**
     * Adds a peer ({@code host:port}) to the addresses this member's discovery contacts; if it runs another subgroup
     * of the cooperative, the two merge within a few merge intervals and run anti-entropy.
     */
    public void addKnownPeer(String hostPort) throws java.net.UnknownHostException {
        String entry = KnownPeers.parse(hostPort);
        int colon = entry.lastIndexOf(':');
        String host = entry.substring(0, colon).replace("[", "").replace("]", "");
        TCPPING discovery = channel.getProtocolStack().findProtocol(TCPPING.class);
        List<PhysicalAddress> hosts = new ArrayList<>(discovery.getInitialHosts());
        IpAddress added = new IpAddress(host, Integer.parseInt(entry.substring(colon + 1)));
        if (!hosts.contains(added)) {
            hosts.add(added);
            discovery.setInitialHosts2(hosts);
        }
    }

    /**
     * Leaves the cooperative at once when {@code withdrawn} says the share consent no longer holds: it is asked every
     * {@code every}; on the first yes the channel is closed (no more records are sent or received) and {@code onLeft}
     * runs. Nothing is asked after the node closed.
     */
    public void leaveWhen(BooleanSupplier withdrawn, Duration every, Runnable onLeft) {
        long millis = Math.max(50, every.toMillis());
        try {
            watcher.scheduleWithFixedDelay(() -> {
                boolean gone;
                try {
                    gone = withdrawn.getAsBoolean();
                } catch (RuntimeException e) {
                    gone = true; // a consent that cannot be read covers nothing
                }
                if (gone && left.getCount() > 0) {
                    close();
                    onLeft.run();
                }
            }, millis, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Already closed.
        }
    }

    /** Waits until this member has left (closed), at most {@code timeout}; returns whether it has. */
    public boolean awaitLeft(Duration timeout) throws InterruptedException {
        return left.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends an extension's message to {@code to} (an address {@link Extension#receive} was given), or to the group. */
    public void sendExtra(Object to, byte[] bytes) {
        send(to instanceof Address a ? a : null, bytes);
    }

    /** Sends raw bytes to the group: for tests that check what members do with bad input. */
    void broadcast(byte[] bytes) {
        send(null, bytes);
    }

    /** Announces this member's heads to the group (done on every view; call it to ask for a round now). */
    public void announce() {
        send(null, sync.heads());
    }

    public LogSync sync() {
        return sync;
    }

    public MeshProfile profile() {
        return profile;
    }

    /** The current view's members, in JGroups' order (the first is the coordinator); none once this member left. */
    public List<String> members() {
        View v = channel.isConnected() ? view : null;
        return v == null ? List.of() : v.getMembers().stream().map(Object::toString).toList();
    }

    /** This member's name in the view. */
    public String name() {
        return String.valueOf(channel.getAddress());
    }

    /** How many views were installed, and how many of them were merges. */
    public int viewCount() {
        return views.get();
    }

    public int mergeCount() {
        return merges.get();
    }

    /** JGroups' transport, for tests that compare its connections with the ledger. */
    TCP transport() {
        return (TCP) channel.getProtocolStack().getTransport();
    }

    public boolean isConnected() {
        return channel.isConnected();
    }

    private void send(Address to, byte[] bytes) {
        execute(() -> {
            try {
                if (channel.isConnected()) {
                    channel.send(new BytesMessage(to, bytes));
                    LogSync.recordsCarried(bytes).ifPresent(what -> auditSent(to, bytes.length, what));
                }
            } catch (Exception e) {
                // A peer that left or a closed channel: anti-entropy repeats on the next view.
            }
        });
    }

    /**
     * One audit entry per message that carried records (issue 11: every record sent is audited): to whom, how many
     * bytes, which logs and places. Written through the egress guard's ledger, beside the connection entries.
     */
    private void auditSent(Address to, int bytes, Map<String, String> what) {
        Map<String, String> refs = new LinkedHashMap<>(what);
        refs.put("purpose", GuardedSocketFactory.PURPOSE);
        refs.put("peer", to == null ? "every member in view" : String.valueOf(to));
        refs.put("bytes", Integer.toString(bytes));
        try {
            guard.note(LogSync.RECORDS_SENT, refs);
        } catch (RuntimeException e) {
            // the record went out; a full disk is reported by the next vault write
        }
    }

    private void execute(Runnable task) {
        try {
            sender.execute(task);
        } catch (RejectedExecutionException e) {
            // Closing: nothing more is sent.
        }
    }

    private final class Delivery implements Receiver {
        @Override
        public void receive(Message message) {
            Address from = message.getSrc();
            byte[] bytes = message.getArray();
            if (bytes == null) {
                return;
            }
            if (message.getOffset() != 0 || message.getLength() != bytes.length) {
                bytes = java.util.Arrays.copyOfRange(bytes, message.getOffset(), message.getOffset() + message.getLength());
            }
            if (extension != null && bytes.length > 0 && extension.handles(bytes)) {
                try {
                    extension.receive(MeshNode.this, from, bytes);
                } catch (RuntimeException e) {
                    // An unreadable message from a peer is ignored, like an unreadable anti-entropy message.
                }
                return;
            }
            for (byte[] reply : sync.handle(from, bytes)) {
                send(from, reply);
            }
        }

        @Override
        public void viewAccepted(View newView) {
            View old = view;
            view = newView;
            views.incrementAndGet();
            if (newView instanceof MergeView) {
                merges.incrementAndGet();
            }
            if (old != null) {
                Set<Address> now = Set.copyOf(newView.getMembers());
                old.getMembers().stream().filter(a -> !now.contains(a)).forEach(sync::forget);
            }
            rememberPeers(newView);
            announce();
        }
    }

    private void rememberPeers(View v) {
        if (knownPeersFile == null) {
            return;
        }
        execute(() -> {
            List<String> peers = new ArrayList<>();
            for (Address member : v.getMembers()) {
                Object physical = channel.down(new Event(Event.GET_PHYSICAL_ADDRESS, member));
                if (physical instanceof IpAddress ip && !member.equals(channel.getAddress())) {
                    peers.add(ip.getIpAddress().getHostAddress() + ":" + ip.getPort());
                }
            }
            try {
                KnownPeers.add(knownPeersFile, peers);
            } catch (RuntimeException e) {
                // The list is a convenience for the next start; the mesh runs without it.
            }
        });
    }

    /** The physical addresses of the current members, {@code host:port}, for status output. */
    public String peersDescription() {
        View v = view;
        if (v == null) {
            return "";
        }
        return v.getMembers().stream().map(m -> {
            Object physical = channel.down(new Event(Event.GET_PHYSICAL_ADDRESS, m));
            return m + (physical instanceof PhysicalAddress p ? " (" + p.printIpAddress() + ")" : "");
        }).collect(Collectors.joining(", "));
    }

    /** Leaves the cooperative and stops every thread and socket of this member. */
    @Override
    public void close() {
        watcher.shutdown();
        channel.close();
        left.countDown();
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdownNow();
    }
}
