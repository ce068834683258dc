package org.sovereign.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.GenerationResult;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.store.consent.Operation;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The local API's overhead, never part of the tests (docs/bench/serve.sh, docs/benchmarks.md): greedy streaming on the
 * tiny Llama fixture through HTTP (server-sent events read by the JDK's client) against the same generation in
 * process (the path the server calls), alternating repetition by repetition; then N streaming clients at once.
 */
public final class ServeBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "Hello there, how are the bees?";

    private record Run(double tokensPerSecond, double firstTokenMs, int tokens) {
    }

    public static void main(String[] args) throws Exception {
        int pairs = Integer.getInteger("bench.pairs", 10);
        int tokens = Integer.getInteger("bench.tokens", 200);
        int clients = Integer.getInteger("bench.clients", 8);
        String modelFolder = System.getProperty("bench.model", "");
        Path tmp = Files.createTempDirectory("serve-bench");
        try (ServeFixture f = new ServeFixture(tmp)) {
            String model = modelFolder.isBlank() ? ServeFixture.TINY : installBenchModel(f, tmp, Path.of(modelFolder));
            String key = f.register("bench", EnumSet.of(Operation.GENERATE), List.of());
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            GenerationRequest gen = f.workstation.packs().runtime().generationSettings(model, tokens, 0.0, null, null);
            for (int i = 0; i < Integer.getInteger("bench.warmup", 3); i++) { // warm-up: model loaded, JIT, connections
                inProcess(f, model, gen);
                overHttp(http, f, key, model, tokens);
            }
            List<Run> local = new ArrayList<>();
            List<Run> remote = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                Run a;
                Run b;
                if (i % 2 == 0) {
                    a = inProcess(f, model, gen);
                    b = overHttp(http, f, key, model, tokens);
                } else {
                    b = overHttp(http, f, key, model, tokens);
                    a = inProcess(f, model, gen);
                }
                if (a.tokens() != b.tokens()) {
                    throw new IllegalStateException("different token counts: " + a.tokens() + " vs " + b.tokens());
                }
                local.add(a);
                remote.add(b);
                ratios.add(b.tokensPerSecond() / a.tokensPerSecond());
            }
            System.out.printf(Locale.ROOT, "%s, %d tokens greedy, %d pairs, %d cores%n", model, local.get(0).tokens(),
                    pairs, Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "in process: %.0f tokens/s (median), first token %.2f ms (median)%n",
                    median(local.stream().map(Run::tokensPerSecond).toList()),
                    median(local.stream().map(Run::firstTokenMs).toList()));
            System.out.printf(Locale.ROOT, "over HTTP:  %.0f tokens/s (median), first token %.2f ms (median)%n",
                    median(remote.stream().map(Run::tokensPerSecond).toList()),
                    median(remote.stream().map(Run::firstTokenMs).toList()));
            List<Double> ttftDiff = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                ttftDiff.add(remote.get(i).firstTokenMs() - local.get(i).firstTokenMs());
            }
            System.out.printf(Locale.ROOT, "HTTP/in-process tokens/s: median of pair ratios %.3f [%.3f-%.3f]; "
                            + "first token +%.2f ms (median of pair differences) [%.2f-%.2f]%n", median(ratios),
                    ratios.stream().mapToDouble(d -> d).min().orElse(0), ratios.stream().mapToDouble(d -> d).max().orElse(0),
                    median(ttftDiff), ttftDiff.stream().mapToDouble(d -> d).min().orElse(0),
                    ttftDiff.stream().mapToDouble(d -> d).max().orElse(0));

            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            List<Future<Run>> runs = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                runs.add(pool.submit(() -> overHttp(http, f, key, ServeFixture.TINY, 64)));
            }
            List<Run> done = new ArrayList<>();
            for (Future<Run> r : runs) {
                done.add(r.get());
            }
            double wall = (System.nanoTime() - start) / 1e6;
            pool.shutdown();
            System.out.printf(Locale.ROOT, "%d concurrent streaming clients, 64 tokens each: all %d completed in "
                            + "%.0f ms; first token after %.0f ms (fastest) to %.0f ms (slowest); tokens %s%n",
                    clients, done.size(), wall, done.stream().mapToDouble(Run::firstTokenMs).min().orElse(0),
                    done.stream().mapToDouble(Run::firstTokenMs).max().orElse(0),
                    done.stream().map(r -> Integer.toString(r.tokens())).distinct().toList());
        }
    }

    /**
     * Installs a Llama-shaped ONNX folder (e.g. the 134M model of model-packs/bench/make_bench_llama.py) as the pack
     * {@code bench-llama}: its small files copied, {@code model.onnx} hard-linked, and a plain chat template added when
     * the folder has none.
     */
    private static String installBenchModel(ServeFixture f, Path tmp, Path folder) throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("bench-model"));
        for (String name : List.of("config.json", "generation_config.json", "tokenizer.json")) {
            Files.copy(folder.resolve(name), copy.resolve(name));
        }
        Files.createLink(copy.resolve("model.onnx"), folder.resolve("model.onnx"));
        com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(folder.resolve("tokenizer_config.json").toFile());
        if (!config.has("chat_template")) {
            config.put("chat_template", "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
                    + "{% if add_generation_prompt %}assistant:{% endif %}");
        }
        JSON.writeValue(copy.resolve("tokenizer_config.json").toFile(), config);
        Path mpack = tmp.resolve("bench.mpack");
        f.workstation.packs().importer().importFolder(copy, mpack, "bench-llama", "1.0", "Apache-2.0", null);
        f.workstation.packs().installation().install(f.workspace.store(), mpack, true,
                org.sovereign.core.common.Progress.NONE);
        Files.delete(mpack);
        return "bench-llama";
    }

    private static Run inProcess(ServeFixture f, String model, GenerationRequest gen) {
        try (ChatModel chat = f.workstation.packs().runtime().openChatModel(model)) {
            long start = System.nanoTime();
            long[] first = {0};
            GenerationResult r = chat.chat(List.of(ChatMessage.user(PROMPT)), gen, (id, text) -> {
                if (first[0] == 0 && !text.isEmpty()) {
                    first[0] = System.nanoTime();
                }
            }, new CancellationSignal());
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Run(r.tokenIds().length / seconds, (first[0] - start) / 1e6, r.tokenIds().length);
        }
    }

    private static Run overHttp(HttpClient http, ServeFixture f, String key, String model, int tokens)
            throws Exception {
        String body = "{\"model\":\"" + model + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"temperature\":0,\"max_tokens\":" + tokens + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + PROMPT + "\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(f.server.baseUrl() + "/chat/completions"))
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        long first = 0;
        int count = -1;
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                JsonNode event = JSON.readTree(line.substring(6));
                if (first == 0 && !event.at("/choices/0/delta/content").asText("").isEmpty()) {
                    first = System.nanoTime();
                }
                if (event.hasNonNull("usage")) {
                    count = event.at("/usage/completion_tokens").asInt();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(count / seconds, (first - start) / 1e6, count);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(d -> d).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
