// llama.cpp reference row for run.sh: greedy generation on the GGUF that make_bench_llama.py wrote (the same
// random weights as the ONNX model), through node-llama-cpp's prebuilt llama.cpp (npm: node-llama-cpp and its
// @node-llama-cpp/linux-x64 package; CPU only). Model and context creation are outside the timed region.
// Usage: node llama_cpp_bench.mjs NODE_MODULES_DIR MODEL.gguf THREADS PROMPT_LEN NEW_TOKENS [REPS]
import path from "node:path";
import {pathToFileURL} from "node:url";

const [modulesDir, modelPath, threadsArg, promptLenArg, newTokensArg, repsArg] = process.argv.slice(2);
const {getLlama, LlamaLogLevel} = await import(
    pathToFileURL(path.join(modulesDir, "node-llama-cpp", "dist", "index.js")).href);
const threads = Number(threadsArg), newTokens = Number(newTokensArg), reps = Number(repsArg ?? 3);
const prompt = [1];
for (let i = 0; i < Number(promptLenArg) - 1; i++) prompt.push(100 + i);

const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const context = await model.createContext({contextSize: 512, batchSize: 512, threads, sequences: 1});
const sequence = context.getSequence();

async function run() {
    await sequence.clearHistory();
    const ids = [];
    const t0 = performance.now();
    let first = 0;
    for await (const token of sequence.evaluate(prompt, {temperature: 0})) {
        if (ids.length === 0) first = performance.now();
        ids.push(token);
        if (ids.length >= newTokens) break;
    }
    const end = performance.now();
    return {ids, seconds: (end - t0) / 1000, first: (first - t0) / 1000};
}

await run();
for (let rep = 0; rep < reps; rep++) {
    const r = await run();
    console.log(JSON.stringify({side: "llama.cpp", bench: "generate", model: path.basename(modelPath, ".gguf"),
        threads, rep, tokens: r.ids.length, seconds: r.seconds, first_token_ms: r.first * 1000,
        per_second: r.ids.length / r.seconds, decode_per_second: (r.ids.length - 1) / (r.seconds - r.first),
        ids_head: r.ids.slice(0, 8), build: llama.buildType, cpu_variant: llama.cpuMathCores ?? null}));
}
await context.dispose();
await model.dispose();
await llama.dispose();
