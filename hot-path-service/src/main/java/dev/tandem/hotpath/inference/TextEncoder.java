package dev.tandem.hotpath.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT-style sentence encoder on ONNX Runtime: texts in, unit-length vectors out (the [CLS]
 * token's last hidden state, L2-normalised, as BGE prescribes). One session, shared by every
 * caller; {@link #encode} runs one forward pass for the whole list, padded to its longest text,
 * so it is called from the micro-batcher's thread, never from an event loop. Texts are cut at
 * {@code maxTokens} tokens (the model was trained on at most 512).
 */
final class TextEncoder implements AutoCloseable {

    /** The vectors of one batch, with each text's token count and whether it was cut. */
    record Encoded(float[] vector, int tokens, boolean truncated) {}

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean typeIds;
    private final int maxTokens;
    private final int dimensions;

    private TextEncoder(OrtSession session, HuggingFaceTokenizer tokenizer, int maxTokens) throws OrtException {
        this.session = session;
        this.tokenizer = tokenizer;
        this.typeIds = session.getInputNames().contains("token_type_ids");
        this.maxTokens = maxTokens;
        this.dimensions = encode(List.of("dimensions")).getFirst().vector().length;
    }

    /**
     * Loads the model and tokenizer from the class path (they ship inside a jar: nothing is
     * downloaded), with {@code threads} threads for the operators of one forward pass.
     */
    static TextEncoder load(String model, String tokenizer, int maxTokens, int threads) {
        try (InputStream modelBytes = resource(model);
                InputStream tokenizerJson = resource(tokenizer)) {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = OrtEnvironment.getEnvironment().createSession(modelBytes.readAllBytes(), options);
            HuggingFaceTokenizer words = HuggingFaceTokenizer.newInstance(
                    tokenizerJson,
                    Map.of(
                            "padding", "false",
                            "truncation", "true",
                            "maxLength", Integer.toString(maxTokens)));
            return new TextEncoder(session, words, maxTokens);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + model, e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the model " + model, e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = TextEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path");
        }
        return in;
    }

    int dimensions() {
        return dimensions;
    }

    int maxTokens() {
        return maxTokens;
    }

    /** How many tokens {@code text} becomes (at most {@link #maxTokens}), without running the model. */
    int tokens(String text) {
        return tokenizer.encode(text).getIds().length;
    }

    /** Encodes every text in one forward pass. */
    List<Encoded> encode(List<String> texts) throws OrtException {
        int batch = texts.size();
        Encoding[] encodings = new Encoding[batch];
        int longest = 0;
        for (int i = 0; i < batch; i++) {
            encodings[i] = tokenizer.encode(texts.get(i));
            longest = Math.max(longest, encodings[i].getIds().length);
        }
        long[] ids = new long[batch * longest];
        long[] mask = new long[batch * longest];
        long[] types = new long[batch * longest];
        for (int i = 0; i < batch; i++) {
            long[] textIds = encodings[i].getIds();
            System.arraycopy(textIds, 0, ids, i * longest, textIds.length);
            System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * longest, textIds.length);
            System.arraycopy(encodings[i].getTypeIds(), 0, types, i * longest, textIds.length);
        }
        long[] shape = {batch, longest};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (typeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                List<Encoded> encoded = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    encoded.add(new Encoded(
                            normalized(hidden[i][0]), encodings[i].getIds().length, encodings[i].exceedMaxLength()));
                }
                return encoded;
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] normalized(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += v * v;
        }
        float norm = (float) Math.sqrt(sum);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = norm == 0 ? 0 : vector[i] / norm;
        }
        return unit;
    }

    @Override
    public void close() throws OrtException {
        tokenizer.close();
        session.close();
    }
}
