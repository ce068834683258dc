package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.Progress;
import org.sovereign.core.egress.NetworkPurposes;
import org.sovereign.core.packs.PackFetch;
import org.sovereign.core.packs.PackSummary;
import org.sovereign.core.packs.PackVerification;
import org.sovereign.core.packs.Packs;
import org.sovereign.core.packs.VerdictText;
import org.sovereign.packs.importer.HfModelFolder;
import org.sovereign.packs.importer.HfPackImporter;
import org.sovereign.packs.importer.ModelVariant;
import org.sovereign.packs.importer.VariantChoice;
import org.sovereign.packs.pack.InstallResult;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.signing.KeyId;
import org.sovereign.packs.signing.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "pack", mixinStandardHelpOptions = true,
        description = {"Model packs: create keys, import Hugging Face ONNX folders, sign, verify, install, list, remove.",
                "Installed packs live in <data dir>/packs. Trusted publisher keys: --trust FILE and <data dir>/trust/*.pub."},
        subcommands = {PackCommand.Keygen.class, PackCommand.Import.class, PackCommand.Sign.class, PackCommand.Verify.class,
                PackCommand.Install.class, PackCommand.InstallDefault.class, PackCommand.ListPacks.class,
                PackCommand.Remove.class, PackCommand.Fetch.class})
final class PackCommand {

    @ParentCommand
    RootCommand root;

    Packs packs() {
        return root.context(true).packs();
    }

    /**
     * Progress in 10% steps on stderr, when stderr is a terminal or {@code --progress} is given; otherwise none, so
     * that a failure stays one line for scripts.
     */
    static Progress progress(PrintWriter err, String what, boolean forced) {
        if (!forced && System.console() == null) {
            return Progress.NONE;
        }
        int[] shown = {-1};
        return new Progress() {
            @Override
            public void update(long done, long total, String message) {
                int pct = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
                if (pct / 10 != shown[0]) {
                    shown[0] = pct / 10;
                    err.println(what + " " + pct + "%");
                    err.flush();
                }
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Creates a P-256 signing key: KEY (PKCS#8 PEM, readable only by you) and KEY.pub. Never overwrites.")
    static final class Keygen implements Callable<Integer> {
        @ParentCommand
        PackCommand pack;
        @Spec
        CommandSpec spec;
        @Option(names = "--out", required = true, paramLabel = "KEY")
        Path out;

        @Override
        public Integer call() {
            String id = pack.packs().keys().keygen(out);
            PrintWriter o = spec.commandLine().getOut();
            o.println("Private key: " + out.toAbsolutePath() + " (keep it secret)");
            o.println("Public key:  " + out.toAbsolutePath() + ".pub (give it to people who install your packs)");
            o.println("Key id:      " + id + " (" + KeyId.shortForm(id) + ")");
            return SovereignCli.OK;
        }
    }

    // Not mixinStandardHelpOptions: its --version would clash with the pack's --version below, and picocli then
    // dropped -h/--help too, so "pack import --help" failed on the missing required arguments.
    @Command(name = "import",
            description = {"Builds an unsigned .mpack from a Hugging Face ONNX folder: an onnx-community repository",
                    "(config.json, tokenizer.json ... at the root, models in onnx/), its onnx/ folder, or a flat folder",
                    "with model.onnx. One variant goes into the pack (model.onnx = fp32, model_q4.onnx = q4, ...; see",
                    "--list-variants), with its external-data files. The kind (text-generation or embedding) comes",
                    "from the model's inputs and outputs."})
    static final class Import implements Callable<Integer> {
        @ParentCommand
        PackCommand pack;
        @Spec
        CommandSpec spec;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;
        @Parameters(paramLabel = "HF_DIR")
        Path folder;
        @Option(names = "--out", paramLabel = "FILE.mpack", description = "The pack to write (required unless --list-variants).")
        Path out;
        @Option(names = "--variant", paramLabel = "VARIANT",
                description = "fp32, fp16, int8, uint8, quantized, q4, q4f16, bnb4 or a file name (default: the best fit for this machine).")
        String variant;
        @Option(names = "--list-variants", description = "List the folder's variants with size, precision and needs, and exit.")
        boolean listVariants;
        @Option(names = "--name", paramLabel = "NAME", description = "Pack name (default: from the folder name).")
        String name;
        @Option(names = "--version", paramLabel = "V", description = "Pack version (default: 1.0).")
        String version;
        @Option(names = "--licence", paramLabel = "SPDX", description = "SPDX licence id (default: NOASSERTION).")
        String licence;
        @Option(names = "--source", paramLabel = "TEXT", description = "Where the model came from (provenance).")
        String source;
        @Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal.")
        boolean showProgress;

        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            if (listVariants) {
                HfModelFolder found = pack.packs().importer().variants(folder);
                VariantChoice choice = pack.packs().importer().defaultVariant(found);
                o.println("Variants in " + found.modelDir() + ":");
                found.variants().forEach(v -> o.println("  " + v.describe()));
                o.println("Default: " + choice.reason());
                return SovereignCli.OK;
            }
            if (out == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Missing required option: '--out=FILE.mpack'");
            }
            HfPackImporter.Result r = pack.packs().importer().importFolder(folder, out,
                    new HfPackImporter.Options(name, version, licence, source, variant),
                    progress(spec.commandLine().getErr(), "Importing", showProgress));
            PackManifest m = r.manifest();
            o.println("Variant " + r.variant().key() + " (" + r.variant().fileName() + ", "
                    + ModelVariant.bytes(r.variant().sizeBytes()) + ", " + r.variant().precision().label() + "): "
                    + r.choice());
            o.println("Wrote " + out.toAbsolutePath() + ": pack " + m.installDirName() + ", "
                    + m.kind().name().toLowerCase(Locale.ROOT).replace('_', '-') + ", " + m.files().size()
                    + " files, unsigned. Sign it with 'sovereign pack sign'.");
            return SovereignCli.OK;
        }
    }

    /** The environment variable naming another hub for {@code pack fetch} (a mirror, or a test server). */
    static final String HUB_VARIABLE = "SOVEREIGN_HUB_URL";

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Downloads a model from the Hugging Face Hub (optional; the only command that goes online) and",
                    "installs it: the tokenizer, configuration and one variant of an onnx-community style repository",
                    "(REPO is owner/name, e.g. onnx-community/Qwen2.5-0.5B-Instruct; @REVISION a branch, tag or commit).",
                    "Needs a consent for 'pack-fetch' naming the hub and the hosts it sends files from, e.g.:",
                    "  sovereign consent grant --purpose pack-fetch --source net:huggingface.co \\",
                    "      --source 'net:*.hf.co' --source 'net:*.huggingface.co'",
                    "Every file is checked against the SHA-256 the hub lists before anything is imported. An interrupted",
                    "download is kept in <data dir>/downloads and resumed by running the same command again.",
                    "The pack has no publisher signature; its installation is recorded in the audit log as trusted by you."})
    static final class Fetch implements Callable<Integer> {
        @ParentCommand
        PackCommand pack;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Parameters(paramLabel = "REPO[@REVISION]")
        String repo;
        @Option(names = "--variant", paramLabel = "VARIANT",
                description = "fp32, fp16, int8, uint8, quantized, q4, q4f16, bnb4 or a file name (default: the best fit for this machine).")
        String variant;
        @Option(names = "--list-variants", description = "List the repository's variants (downloads only its small files) and exit.")
        boolean listVariants;
        @Option(names = "--hub", paramLabel = "URL",
                description = "The hub's address (default: $" + HUB_VARIABLE + ", else https://huggingface.co).")
        String hub;
        @Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal.")
        boolean showProgress;

        @Override
        public Integer call() {
            PackFetch.Request request = PackFetch.Request.parse(repo, variant, hubAddress());
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Workstation context = pack.root.context(true);
            try (UnlockedWorkspace workspace = context.unlock(passphrase.read("Passphrase", false))) {
                PackFetch fetch = new PackFetch(context.dataDirectory().path(), context.packs(), workspace,
                        Clock.systemUTC());
                Progress progress = fetchProgress(err, showProgress);
                if (listVariants) {
                    PackFetch.Plan plan = fetch.plan(request, progress);
                    o.println("Variants in " + request.repo() + " at commit " + plan.commit().substring(0, 12) + ":");
                    plan.variants().forEach(v -> o.println("  " + TerminalText.safe(v.describe())));
                    o.println("Default: " + plan.choice().reason());
                    return SovereignCli.OK;
                }
                PackFetch.Result r = fetch.fetch(request, progress);
                ModelVariant v = r.imported().variant();
                o.println("Fetched " + request.repo() + " at commit " + r.plan().commit().substring(0, 12) + " from "
                        + request.host() + ": " + ModelVariant.bytes(r.bytes()) + (r.resumed() > 0
                        ? " (" + ModelVariant.bytes(r.resumed()) + " of it resumed from an earlier download)" : "")
                        + ", every file matching the digest the hub lists.");
                o.println("Variant " + v.key() + " (" + v.fileName() + ", " + ModelVariant.bytes(v.sizeBytes()) + ", "
                        + v.precision().label() + "): " + r.plan().choice().reason());
                o.println("Installed " + r.installed().pack().manifest().installDirName() + ". It has no publisher "
                        + "signature; you chose to trust it by fetching it (recorded in the audit log).");
                return SovereignCli.OK;
            } catch (PackFetch.ConsentNeeded e) {
                err.println(e.getMessage());
                err.println("To allow it: " + grantCommand(e));
                return SovereignCli.USER_ERROR;
            }
        }

        private URI hubAddress() {
            String address = hub != null ? hub : System.getenv(HUB_VARIABLE);
            if (address == null || address.isBlank()) {
                return PackFetch.DEFAULT_HUB;
            }
            try {
                return new URI(address.strip());
            } catch (URISyntaxException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--hub must be an address like https://huggingface.co, not '" + address + "'.");
            }
        }

        /** The consent grant that lets the fetch through (the hosts core suggests). */
        static String grantCommand(PackFetch.ConsentNeeded e) {
            StringBuilder b = new StringBuilder("sovereign consent grant --purpose " + NetworkPurposes.PACK_FETCH);
            e.suggestedHosts().forEach(h -> b.append(" --source ").append(h.contains("*") ? "'net:" + h + "'" : "net:" + h));
            return b.toString();
        }
    }

    /**
     * Download, import and install progress on stderr (when it is a terminal or {@code --progress} is given): one
     * line each time the phase changes or another tenth is done.
     */
    static Progress fetchProgress(PrintWriter err, boolean forced) {
        if (!forced && System.console() == null) {
            return Progress.NONE;
        }
        String[] phase = {""};
        int[] shown = {-1};
        return new Progress() {
            @Override
            public void update(long done, long total, String message) {
                int colon = message.indexOf(':');
                String now = colon < 0 ? message : message.substring(0, colon);
                int pct = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
                if (!now.equals(phase[0]) || pct / 10 != shown[0]) {
                    phase[0] = now;
                    shown[0] = pct / 10;
                    err.println(pct + "% " + TerminalText.safe(message));
                    err.flush();
                }
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Signs a pack folder or .mpack in place (atomically) with KEY; KEY.pub must sit beside it.")
    static final class Sign implements Callable<Integer> {
        @ParentCommand
        PackCommand pack;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE")
        Path file;
        @Option(names = "--key", required = true, paramLabel = "KEY")
        Path key;
        @Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal.")
        boolean showProgress;

        @Override
        public Integer call() {
            String id = pack.packs().keys().sign(file, key, progress(spec.commandLine().getErr(), "Hashing", showProgress));
            spec.commandLine().getOut().println("Signed " + file + " with key " + KeyId.shortForm(id) + ".");
            return SovereignCli.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Checks a pack's archive, manifest, signatures and every file without installing it.",
                    "Exit 0 only when it is signed by a trusted publisher."})
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        PackCommand pack;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE")
        Path file;
        @Option(names = "--trust", paramLabel = "PUBKEY", description = "A trusted publisher key (repeatable).")
        List<Path> trust = new ArrayList<>();

        @Override
        public Integer call() {
            PackVerification v = pack.packs().installation().verify(file, trust, Progress.NONE);
            if (v.verdict().trusted()) {
                spec.commandLine().getOut().println(v.describe());
                return SovereignCli.OK;
            }
            spec.commandLine().getErr().println(v.describe());
            return SovereignCli.USER_ERROR;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Verifies and installs a pack into <data dir>/packs. The install is recorded in the audit log,",
                    "so a vault is needed. Unsigned or untrusted packs only with --trust-anyway (audited)."})
    static final class Install implements Callable<Integer> {
        @ParentCommand
        PackCommand pack;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Parameters(paramLabel = "FILE")
        Path file;
        @Option(names = "--trust", paramLabel = "PUBKEY", description = "A trusted publisher key (repeatable).")
        List<Path> trust = new ArrayList<>();
        @Option(names = "--trust-anyway", description = "Install an unsigned or untrusted pack (never an invalid one).")
        boolean trustAnyway;
        @Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal.")
        boolean showProgress;

        @Override
        public Integer call() {
            InstallResult r = pack.packs().installation().install(file, trust, trustAnyway, () -> passphrase.read("Passphrase", false),
                    progress(spec.commandLine().getErr(), "Installing", showProgress));
            printInstalled(spec.commandLine().getOut(), r);
            return SovereignCli.OK;
        }
    }

    static void printInstalled(PrintWriter out, InstallResult r) {
        out.println("Installed " + r.pack().manifest().installDirName() + ". " + VerdictText.describe(r.verdict())
                + (r.trustedAnyway() ? " Installed because you chose to trust it anyway (recorded in the audit log)." : ""));
    }

    @Command(name = "install-default", mixinStandardHelpOptions = true,
            description = {"Installs the embedding pack bundled with this build (all-minilm-l6-v2).",
                    "It has no publisher signature: it is accepted because its digest matches the one in this build."})
    static final class InstallDefault implements Callable<Integer> {
        @ParentCommand
        PackCommand pack;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal.")
        boolean showProgress;

        @Override
        public Integer call() {
            InstallResult r = pack.packs().installation().installDefault(() -> passphrase.read("Passphrase", false),
                    progress(spec.commandLine().getErr(), "Installing", showProgress));
            spec.commandLine().getOut().println("Installed " + r.pack().manifest().installDirName()
                    + ": bundled with this build, verified by digest.");
            return SovereignCli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the installed packs.")
    static final class ListPacks implements Callable<Integer> {
        @ParentCommand
        PackCommand pack;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<PackSummary> rows = pack.packs().catalog().list();
            PrintWriter o = spec.commandLine().getOut();
            if (rows.isEmpty()) {
                o.println("No packs are installed.");
                return SovereignCli.OK;
            }
            o.printf("%-28s %-14s %-16s %10s  %-44s %-12s %s%n", "NAME", "VERSION", "KIND", "SIZE", "SIGNER", "LICENCE", "STATE");
            for (PackSummary r : rows) {
                o.printf(Locale.ROOT, "%-28s %-14s %-16s %10s  %-44s %-12s %s%n", TerminalText.safe(r.name()),
                        TerminalText.safe(r.version()), TerminalText.safe(r.kind()), size(r.sizeBytes()),
                        TerminalText.safe(r.signer()), TerminalText.safe(r.licence()), TerminalText.safe(r.state()));
            }
            return SovereignCli.OK;
        }

        private static String size(long bytes) {
            return bytes >= 1_000_000 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
                    : String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes an installed pack (NAME or NAME-VERSION).")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        PackCommand pack;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            String removed = pack.packs().installation().remove(name, () -> passphrase.read("Passphrase", false));
            spec.commandLine().getOut().println("Removed " + removed + ".");
            return SovereignCli.OK;
        }
    }
}
