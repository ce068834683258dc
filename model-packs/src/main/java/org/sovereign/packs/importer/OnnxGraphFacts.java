package org.sovereign.packs.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the importer needs to know about an ONNX file that ONNX Runtime's Java API does not tell: the external-data
 * files its tensors point to (with the largest byte range used in each), the operator types it uses, the element
 * types of its weights, and the element types of its graph inputs and outputs.
 *
 * <p>Read with a minimal protobuf wire-format reader over a memory-mapped file rather than protobuf-java and the
 * generated ONNX classes: only a handful of fields of {@code ModelProto} are needed, weights ({@code raw_data}) are
 * skipped without being copied, and a multi-hundred-megabyte graph never has to sit on the Java heap. Field numbers
 * are those of onnx/onnx.proto (ModelProto.graph = 7, functions = 25; GraphProto.node = 1, initializer = 5,
 * input = 11, output = 12, sparse_initializer = 15; NodeProto.op_type = 4, attribute = 5, domain = 7;
 * AttributeProto.t = 5, g = 6, tensors = 10, graphs = 11; TensorProto.dims = 1, data_type = 2, name = 8,
 * external_data = 13, data_location = 14; StringStringEntryProto.key = 1, value = 2; ValueInfoProto.name = 1,
 * type = 2; TypeProto.tensor_type = 1; TypeProto.Tensor.elem_type = 1; FunctionProto.node = 7).
 *
 * @param externalData     for each external-data {@code location}, the end of the furthest byte range any tensor
 *                         reads from it (offset + length; 0 when a tensor does not give its length)
 * @param operators        operator types used anywhere in the graph, subgraphs and functions ("MatMulNBits", ...)
 * @param weightBytes      bytes of initializer data per ONNX element type (TensorProto.DataType number)
 * @param inputTypes       element type of each graph input, by name
 * @param outputTypes      element type of each graph output, by name
 */
public record OnnxGraphFacts(Map<String, Long> externalData, Set<String> operators, Map<Integer, Long> weightBytes,
                             Map<String, Integer> inputTypes, Map<String, Integer> outputTypes) {

    /** ONNX TensorProto.DataType numbers used here. */
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT8 = 3;
    public static final int FLOAT16 = 10;
    public static final int BFLOAT16 = 16;

    public OnnxGraphFacts {
        externalData = Map.copyOf(externalData);
        operators = Set.copyOf(operators);
        weightBytes = Map.copyOf(weightBytes);
        inputTypes = Map.copyOf(inputTypes);
        outputTypes = Map.copyOf(outputTypes);
    }

    /**
     * Reads an ONNX model file.
     *
     * @throws IOException if the file cannot be read or is not a well-formed protobuf message
     */
    public static OnnxGraphFacts read(Path onnxFile) throws IOException {
        try (FileChannel channel = FileChannel.open(onnxFile, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(onnxFile.getFileName() + " is larger than 2 GB, the most a single ONNX file can hold");
            }
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            Collector c = new Collector();
            try {
                c.model(map, 0, (int) size);
            } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                throw new IOException(onnxFile.getFileName() + " is not a well-formed ONNX file: " + e.getMessage(), e);
            }
            return new OnnxGraphFacts(c.external, c.operators, c.weights, c.inputs, c.outputs);
        }
    }

    /** True when any initializer holds float16 or bfloat16 data. */
    public boolean hasHalfPrecisionWeights() {
        return weightBytes.getOrDefault(FLOAT16, 0L) + weightBytes.getOrDefault(BFLOAT16, 0L) > 0;
    }

    /** Walks the message tree, collecting facts. */
    private static final class Collector {
        final Map<String, Long> external = new TreeMap<>();
        final Set<String> operators = new LinkedHashSet<>();
        final Map<Integer, Long> weights = new TreeMap<>();
        final Map<String, Integer> inputs = new LinkedHashMap<>();
        final Map<String, Integer> outputs = new LinkedHashMap<>();
        private int depth;

        void model(ByteBuffer b, int start, int end) {
            for (Wire w = new Wire(b, start, end); w.next(); ) {
                if (w.field == 7 && w.type == Wire.LEN) {
                    graph(b, w.start, w.end, true);
                } else if (w.field == 25 && w.type == Wire.LEN) {
                    function(b, w.start, w.end);
                }
            }
        }

        void function(ByteBuffer b, int start, int end) {
            for (Wire w = new Wire(b, start, end); w.next(); ) {
                if (w.field == 7 && w.type == Wire.LEN) {
                    node(b, w.start, w.end);
                }
            }
        }

        void graph(ByteBuffer b, int start, int end, boolean main) {
            if (++depth > 64) {
                throw new IllegalArgumentException("subgraphs nested too deeply");
            }
            for (Wire w = new Wire(b, start, end); w.next(); ) {
                if (w.type != Wire.LEN) {
                    continue;
                }
                switch (w.field) {
                    case 1 -> node(b, w.start, w.end);
                    case 5 -> tensor(b, w.start, w.end);
                    case 15 -> sparse(b, w.start, w.end);
                    case 11 -> { if (main) valueInfo(b, w.start, w.end, inputs); }
                    case 12 -> { if (main) valueInfo(b, w.start, w.end, outputs); }
                    default -> { }
                }
            }
            depth--;
        }

        void node(ByteBuffer b, int start, int end) {
            String op = null;
            for (Wire w = new Wire(b, start, end); w.next(); ) {
                if (w.type != Wire.LEN) {
                    continue;
                }
                if (w.field == 4) {
                    op = w.string();
                } else if (w.field == 5) {
                    attribute(b, w.start, w.end);
                }
            }
            if (op != null) {
                operators.add(op);
            }
        }

        void attribute(ByteBuffer b, int start, int end) {
            for (Wire w = new Wire(b, start, end); w.next(); ) {
                if (w.type != Wire.LEN) {
                    continue;
                }
                switch (w.field) {
                    case 5, 10 -> tensor(b, w.start, w.end);
                    case 6, 11 -> graph(b, w.start, w.end, false);
                    default -> { }
                }
            }
        }

        /** SparseTensorProto: values = 1, indices = 2 (both TensorProto). */
        void sparse(ByteBuffer b, int start, int end) {
            for (Wire w = new Wire(b, start, end); w.next(); ) {
                if (w.type == Wire.LEN && (w.field == 1 || w.field == 2)) {
                    tensor(b, w.start, w.end);
                }
            }
        }

        void tensor(ByteBuffer b, int start, int end) {
            int dataType = 0;
            long elements = 1;
            boolean externalLocation = false;
            Map<String, String> entries = new LinkedHashMap<>();
            for (Wire w = new Wire(b, start, end); w.next(); ) {
                switch (w.field) {
                    case 1 -> {
                        if (w.type == Wire.VARINT) {
                            elements *= Math.max(0, w.value);
                        } else if (w.type == Wire.LEN) {
                            for (Wire p = new Wire(b, w.start, w.end); p.nextPackedVarint(); ) {
                                elements *= Math.max(0, p.value);
                            }
                        }
                    }
                    case 2 -> dataType = (int) w.value;
                    case 13 -> {
                        if (w.type == Wire.LEN) {
                            entry(b, w.start, w.end, entries);
                        }
                    }
                    case 14 -> externalLocation = w.value == 1;
                    default -> { }
                }
            }
            weights.merge(dataType, elements * bytesPer(dataType), Long::sum);
            String location = entries.get("location");
            if (externalLocation || location != null) {
                if (location == null || location.isEmpty()) {
                    throw new IllegalArgumentException("a tensor stored outside the file does not say where");
                }
                long offset = parseLong(entries.get("offset"));
                long length = parseLong(entries.get("length"));
                external.merge(location, length > 0 ? offset + length : 0L, Math::max);
            }
        }

        private static long parseLong(String s) {
            if (s == null) {
                return 0;
            }
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("an external-data offset or length is not a number: " + s);
            }
        }

        static void entry(ByteBuffer b, int start, int end, Map<String, String> into) {
            String key = null;
            String value = null;
            for (Wire w = new Wire(b, start, end); w.next(); ) {
                if (w.type == Wire.LEN && w.field == 1) {
                    key = w.string();
                } else if (w.type == Wire.LEN && w.field == 2) {
                    value = w.string();
                }
            }
            if (key != null) {
                into.put(key, value);
            }
        }

        /** ValueInfoProto name = 1, type = 2 → TypeProto.tensor_type = 1 → elem_type = 1. */
        static void valueInfo(ByteBuffer b, int start, int end, Map<String, Integer> into) {
            String name = null;
            int elemType = 0;
            for (Wire w = new Wire(b, start, end); w.next(); ) {
                if (w.type == Wire.LEN && w.field == 1) {
                    name = w.string();
                } else if (w.type == Wire.LEN && w.field == 2) {
                    for (Wire t = new Wire(b, w.start, w.end); t.next(); ) {
                        if (t.type == Wire.LEN && t.field == 1) {
                            for (Wire e = new Wire(b, t.start, t.end); e.next(); ) {
                                if (e.type == Wire.VARINT && e.field == 1) {
                                    elemType = (int) e.value;
                                }
                            }
                        }
                    }
                }
            }
            if (name != null) {
                into.put(name, elemType);
            }
        }

        /** Bytes per element (4-bit types count as one byte per two elements, rounded up per tensor below). */
        static long bytesPer(int dataType) {
            return switch (dataType) {
                case 1, 6, 12 -> 4;          // float, int32, uint32
                case 2, 3, 9 -> 1;           // uint8, int8, bool
                case 4, 5, 10, 16 -> 2;      // uint16, int16, float16, bfloat16
                case 7, 11, 13, 14 -> 8;     // int64, double, uint64, complex64
                case 15 -> 16;               // complex128
                default -> 1;                // 8-bit floats; 4-bit types are over-counted, which is harmless here
            };
        }
    }

    /** One protobuf field at a time within [start, end). */
    private static final class Wire {
        static final int VARINT = 0;
        static final int I64 = 1;
        static final int LEN = 2;
        static final int I32 = 5;

        private final ByteBuffer b;
        private int pos;
        private final int limit;
        int field;
        int type;
        long value;
        int start;
        int end;

        Wire(ByteBuffer b, int start, int end) {
            this.b = b;
            this.pos = start;
            this.limit = end;
        }

        boolean next() {
            if (pos >= limit) {
                return false;
            }
            long key = varint();
            field = (int) (key >>> 3);
            type = (int) (key & 7);
            switch (type) {
                case VARINT -> value = varint();
                case I64 -> skip(8);
                case I32 -> skip(4);
                case LEN -> {
                    long len = varint();
                    if (len < 0 || len > limit - pos) {
                        throw new IllegalArgumentException("a field runs past the end of its message");
                    }
                    start = pos;
                    end = pos + (int) len;
                    pos = end;
                }
                default -> throw new IllegalArgumentException("unsupported protobuf wire type " + type);
            }
            return true;
        }

        boolean nextPackedVarint() {
            if (pos >= limit) {
                return false;
            }
            value = varint();
            return true;
        }

        String string() {
            byte[] bytes = new byte[end - start];
            b.get(start, bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private void skip(int n) {
            if (n > limit - pos) {
                throw new IllegalArgumentException("a field runs past the end of its message");
            }
            pos += n;
        }

        private long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= limit) {
                    throw new IllegalArgumentException("a number runs past the end of its message");
                }
                byte x = b.get(pos++);
                result |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("a number is longer than 10 bytes");
        }
    }

    /** Operator types that tell what a variant needs from ONNX Runtime. */
    static List<String> notableOperators(Set<String> operators) {
        List<String> notable = new ArrayList<>();
        for (String op : List.of("MatMulNBits", "MatMulBnb4", "GatherBlockQuantized", "MatMulInteger",
                "DynamicQuantizeLinear", "DynamicQuantizeMatMul", "QLinearMatMul", "GroupQueryAttention",
                "MultiHeadAttention", "SimplifiedLayerNormalization", "SkipSimplifiedLayerNormalization",
                "RotaryEmbedding")) {
            if (operators.contains(op)) {
                notable.add(op);
            }
        }
        return notable;
    }
}
