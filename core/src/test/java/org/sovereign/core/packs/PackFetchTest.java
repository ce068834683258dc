package org.sovereign.core.packs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.core.egress.NetworkPurposes;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.importer.ModelVariant;
import org.sovereign.packs.pack.PackFile;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.FakeHub;
import org.sovereign.testing.TestKdf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/**
 * Fetching a model from a hub on 127.0.0.1 that answers as the Hugging Face Hub does ({@link FakeHub}): under a
 * consent naming both host names, through the egress guard, every file checked, a dropped connection resumed, and
 * nothing imported when something is wrong.
 */
class PackFetchTest {

    private static final String REPO = "test-org/tiny-llama";
    private static final String PASS = "a long and private passphrase";
    private static final HardwareProfile AVX2_16G = new HardwareProfile(2, List.of("avx2"), 16L << 30, 8L << 30);

    @TempDir
    Path tmp;
    private Path home;
    private FakeHub hub;
    private UnlockedWorkspace workspace;
    private Packs packs;
    private PackFetch fetch;

    @BeforeEach
    void setUp() throws Exception {
        home = tmp.resolve("home");
        StoreService store = new StoreService(DataDirectory.resolve(home), Clock.systemUTC(), TestKdf.FAST);
        LocalStore local = store.create(PASS.toCharArray());
        workspace = new UnlockedWorkspace(local, new ModelLeases(id -> {
            throw new IllegalStateException("no models in this test");
        }, Optional::empty), Clock.systemUTC());
        packs = Packs.create(home, store);
        fetch = new PackFetch(home, packs, workspace, Clock.systemUTC(), AVX2_16G);
        hub = new FakeHub(TINY_LLAMA.resolveSibling("hf-repos").resolve("llama"), REPO);
    }

    @AfterEach
    void tearDown() {
        hub.close();
        workspace.close();
    }

    private String consent(String... hosts) {
        return workspace.consents().grant(new GrantRequest(List.of(NetworkPurposes.PACK_FETCH), Set.of(Operation.SHARE),
                List.of(), List.of(hosts), List.of(), 30, null)).recordId();
    }

    private PackFetch.Request request(String variant) {
        return PackFetch.Request.parse(REPO, variant, hub.url());
    }

    private List<AuditEntry> audit(String type) {
        LocalStore store = workspace.store();
        store.audit().flush();
        return store.audit().entries(0, store.audit().size()).stream().filter(e -> e.type().equals(type)).toList();
    }

    private List<Path> downloadedFiles() throws Exception {
        Path downloads = home.resolve("downloads");
        if (!Files.exists(downloads)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(downloads)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void fetchesOnlyTheChosenVariantThroughTheGuardChecksItAndInstallsIt() throws Exception {
        String id = consent(FakeHub.HUB_HOST, FakeHub.CDN_HOST);

        PackFetch.Result r = fetch.fetch(request("q4f16"), Progress.NONE);

        assertThat(r.plan().commit()).isEqualTo(FakeHub.COMMIT);
        assertThat(r.imported().variant().key()).isEqualTo("q4f16");
        assertThat(r.installed().pack().manifest().installDirName()).isEqualTo("tiny-llama-q4f16-" + FakeHub.COMMIT.substring(0, 12));
        assertThat(r.installed().trustedAnyway()).isTrue();
        // the external data the graph names came along, found from the graph, not from the listing's names
        assertThat(r.imported().manifest().files()).extracting(PackFile::path)
                .contains("model_q4f16.onnx", "weights-q4f16.bin", "tokenizer.json", "config.json");
        assertThat(r.imported().manifest().provenance().source()).contains(REPO, FakeHub.COMMIT, "variant q4f16");
        assertThat(packs.catalog().list()).extracting(PackSummary::name).containsExactly("tiny-llama-q4f16");
        assertThat(r.received()).isEqualTo(r.bytes()).isGreaterThan(r.plan().bytes()); // the plan knew no weights-*.bin
        assertThat(r.resumed()).isZero();

        List<String> requests = hub.requests();
        assertThat(requests).filteredOn(q -> q.contains("/tree/")).hasSizeGreaterThan(1); // the listing is paged
        assertThat(requests).filteredOn(q -> q.contains("/resolve/")).noneMatch(q -> q.contains("model_int8.onnx")
                || q.contains("model_q4.onnx") || q.contains("/model.onnx") || q.contains("reference.json"));
        assertThat(requests).filteredOn(q -> q.startsWith(FakeHub.CDN_HOST + ":"))
                .anyMatch(q -> q.contains(hub.sha256("onnx/weights-q4f16.bin")))
                .anyMatch(q -> q.contains(hub.sha256("onnx/model_q4f16.onnx")));
        // nothing of the download is left once the pack is installed
        assertThat(downloadedFiles()).isEmpty();

        List<AuditEntry> closed = audit(AuditTypes.EGRESS_CLOSED);
        assertThat(closed).allSatisfy(e -> assertThat(e.refs()).containsEntry("purpose", NetworkPurposes.PACK_FETCH)
                .containsEntry("basis", "consent:" + id));
        assertThat(closed).extracting(e -> e.refs().get("destination"))
                .contains(FakeHub.HUB_HOST + ":" + hub.url().getPort(), FakeHub.CDN_HOST + ":" + hub.url().getPort());
        long received = closed.stream().mapToLong(e -> Long.parseLong(e.refs().get("received"))).sum();
        assertThat(received).isGreaterThanOrEqualTo(r.received());
        assertThat(audit(AuditTypes.PACK_TRUSTED_ANYWAY)).hasSize(1);
    }

    @Test
    void withoutAConsentNothingIsContacted() throws Exception {
        assertThatThrownBy(() -> fetch.fetch(request("q4"), Progress.NONE))
                .isInstanceOfSatisfying(PackFetch.ConsentNeeded.class, e -> {
                    assertThat(e.host()).isEqualTo(FakeHub.HUB_HOST);
                    assertThat(e.getMessage()).contains("needs your consent", "'pack-fetch'", "nothing was sent");
                });

        assertThat(hub.requests()).isEmpty();
        assertThat(audit(AuditTypes.EGRESS_REFUSED)).hasSize(1);
        assertThat(audit(AuditTypes.EGRESS_CONNECTED)).isEmpty();
    }

    @Test
    void aWithdrawnConsentStopsTheNextFetchBeforeAnyRequest() throws Exception {
        String id = consent(FakeHub.HUB_HOST, FakeHub.CDN_HOST);
        workspace.consents().withdraw(id, false);

        assertThatThrownBy(() -> fetch.plan(request(null), Progress.NONE)).isInstanceOf(PackFetch.ConsentNeeded.class);

        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void aConsentThatDoesNotNameTheCdnStopsAtTheRedirectAndSaysWhichHost() throws Exception {
        consent(FakeHub.HUB_HOST);

        assertThatThrownBy(() -> fetch.fetch(request("q4"), Progress.NONE))
                .isInstanceOfSatisfying(PackFetch.ConsentNeeded.class, e -> {
                    assertThat(e.host()).isEqualTo(FakeHub.CDN_HOST);
                    assertThat(e.hubHost()).isEqualTo(FakeHub.HUB_HOST);
                    assertThat(e.getMessage()).contains("sends this download from localhost");
                });

        assertThat(hub.requests()).isNotEmpty().noneMatch(q -> q.startsWith(FakeHub.CDN_HOST + ":"));
        assertThat(packs.catalog().list()).isEmpty();
    }

    @Test
    void aWildcardConsentCoversTheHostsUnderADomain() {
        assertThat(NetworkPurposes.names(List.of("net:*.hf.co"), "cas-bridge.xethub.hf.co")).isTrue();
        assertThat(NetworkPurposes.names(List.of("net:*.hf.co"), "hf.co")).isFalse();
        assertThat(NetworkPurposes.names(List.of("net:*.hf.co"), "evilhf.co")).isFalse();
        assertThat(NetworkPurposes.names(List.of("/home/ada/notes", "net:huggingface.co"), "HuggingFace.co")).isTrue();
    }

    @Test
    void aCorruptedFileIsRefusedDeletedAndNothingIsImported() throws Exception {
        consent(FakeHub.HUB_HOST, FakeHub.CDN_HOST);
        hub.corrupt("onnx/model_int8.onnx");

        assertThatThrownBy(() -> fetch.fetch(request("int8"), Progress.NONE))
                .isInstanceOf(UserFacingException.class)
                .hasMessage("onnx/model_int8.onnx does not match the SHA-256 the hub lists for it; it was deleted and "
                        + "nothing was imported.");

        assertThat(packs.catalog().list()).isEmpty();
        assertThat(downloadedFiles()).extracting(p -> p.getFileName().toString())
                .noneMatch(n -> n.startsWith("model_int8")).noneMatch(n -> n.endsWith(".mpack"))
                .contains("tokenizer.json");
        assertThat(audit(AuditTypes.PACK_INSTALLED)).isEmpty();
    }

    @Test
    void aConnectionDroppedHalfwayIsResumedWithARangeRequest() throws Exception {
        consent(FakeHub.HUB_HOST, FakeHub.CDN_HOST);
        hub.dropHalfway("onnx/weights-q4f16.bin", 1);

        PackFetch.Result r = fetch.fetch(request("q4f16"), Progress.NONE);

        int size = hub.bytes("onnx/weights-q4f16.bin").length;
        List<String> asked = hub.requests().stream().filter(q -> q.contains(hub.sha256("onnx/weights-q4f16.bin"))).toList();
        assertThat(asked).hasSize(2);
        // the server sent half and dropped the connection; what reached the file before the reset may be less, so the
        // second request resumes from what arrived: after 0 (a resume, not a restart) and at most the half
        String range = asked.get(1).substring(asked.get(1).lastIndexOf("Range: bytes=") + "Range: bytes=".length());
        assertThat(range).endsWith("-");
        long from = Long.parseLong(range.substring(0, range.length() - 1));
        assertThat(from).isPositive().isLessThanOrEqualTo(size / 2);
        assertThat(r.imported().manifest().files()).extracting(PackFile::path).contains("weights-q4f16.bin");
        assertThat(packs.catalog().list()).hasSize(1);
    }

    @Test
    void aDownloadThatKeepsFailingIsKeptAndTheNextFetchResumesIt() throws Exception {
        consent(FakeHub.HUB_HOST, FakeHub.CDN_HOST);
        String file = "onnx/model_q4.onnx";
        int size = hub.bytes(file).length;
        hub.dropHalfway(file, PackFetch.ATTEMPTS);

        assertThatThrownBy(() -> fetch.fetch(request("q4"), Progress.NONE))
                .isInstanceOf(UserFacingException.class)
                .hasMessageStartingWith("The download of " + file + " from 127.0.0.1 stopped (")
                .hasMessageEndingWith("What arrived is kept; fetching again resumes it.");
        assertThat(packs.catalog().list()).isEmpty();
        Path part = downloadedFiles().stream().filter(p -> p.getFileName().toString().equals("model_q4.onnx.part"))
                .findFirst().orElseThrow();
        assertThat(Files.size(part)).isGreaterThan(0).isLessThan(size);
        assertThat(Files.getPosixFilePermissions(home.resolve("downloads")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                        java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
        long kept = Files.size(part);
        int before = hub.requests().size();

        PackFetch.Result r = fetch.fetch(request("q4"), Progress.NONE);

        assertThat(r.resumed()).isGreaterThanOrEqualTo(kept);
        assertThat(hub.requests().subList(before, hub.requests().size()))
                .anyMatch(q -> q.contains(hub.sha256(file)) && q.endsWith("Range: bytes=" + kept + "-"));
        assertThat(packs.catalog().list()).extracting(PackSummary::name).containsExactly("tiny-llama-q4");
    }

    @Test
    void aServerThatStopsSendingMidFileIsGivenUpAfterTheIdleTimeoutAndTheNextFetchResumes() throws Exception {
        consent(FakeHub.HUB_HOST, FakeHub.CDN_HOST);
        String file = "onnx/model_q4.onnx";
        int size = hub.bytes(file).length;
        hub.stallHalfway(file, PackFetch.ATTEMPTS);
        PackFetch impatient = new PackFetch(home, packs, workspace, Clock.systemUTC(), AVX2_16G, Duration.ofSeconds(1));

        assertThatThrownBy(() -> impatient.fetch(request("q4"), Progress.NONE))
                .isInstanceOf(UserFacingException.class)
                .hasMessage("The download of " + file + " from 127.0.0.1 stopped (no data arrived for 1 second). "
                        + "What arrived is kept; fetching again resumes it.");
        assertThat(packs.catalog().list()).isEmpty();
        Path part = downloadedFiles().stream().filter(p -> p.getFileName().toString().equals("model_q4.onnx.part"))
                .findFirst().orElseThrow();
        long kept = Files.size(part);
        assertThat(kept).isGreaterThan(0).isLessThan(size);
        // each try stalled after half of what it was sent, and the next try resumed from what had arrived
        List<String> tries = hub.requests().stream().filter(q -> q.contains(hub.sha256(file))).toList();
        assertThat(tries).hasSize(PackFetch.ATTEMPTS);
        assertThat(tries.subList(1, tries.size())).allMatch(q -> q.contains("Range: bytes="));
        int before = hub.requests().size();

        PackFetch.Result r = fetch.fetch(request("q4"), Progress.NONE);

        assertThat(r.resumed()).isEqualTo(kept);
        assertThat(hub.requests().subList(before, hub.requests().size()))
                .anyMatch(q -> q.contains(hub.sha256(file)) && q.endsWith("Range: bytes=" + kept + "-"));
        assertThat(packs.catalog().list()).extracting(PackSummary::name).containsExactly("tiny-llama-q4");
    }

    @Test
    void planListsTheVariantsAndChoosesOneWithoutDownloadingAnyModel() {
        consent(FakeHub.HUB_HOST, FakeHub.CDN_HOST);

        PackFetch.Plan plan = fetch.plan(request(null), Progress.NONE);

        assertThat(plan.variants()).extracting(ModelVariant::key).containsExactly("fp32", "fp16", "int8", "q4", "q4f16");
        assertThat(plan.choice().variant().key()).isEqualTo("q4");
        assertThat(plan.choice().reason()).contains("best fit");
        assertThat(hub.requests()).noneMatch(q -> q.contains(".onnx"));
        assertThatThrownBy(() -> fetch.plan(request("q8"), Progress.NONE)).isInstanceOf(UserFacingException.class)
                .hasMessage("The repository test-org/tiny-llama has no variant 'q8'; it has: fp32, fp16, int8, q4, q4f16.");
    }

    @Test
    void anUnknownRepositoryOrRevisionIsOneSentence() {
        consent(FakeHub.HUB_HOST);
        assertThatThrownBy(() -> fetch.plan(PackFetch.Request.parse(REPO + "@v9", null, hub.url()), Progress.NONE))
                .isInstanceOf(UserFacingException.class)
                .hasMessage("The hub has no test-org/tiny-llama@v9 (check the name and revision).");
        assertThatThrownBy(() -> PackFetch.Request.parse("../etc", null, hub.url()))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("is not a repository name");
    }
}
