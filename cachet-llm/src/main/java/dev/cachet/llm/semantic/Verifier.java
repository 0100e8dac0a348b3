package dev.cachet.llm.semantic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The second stage of a semantic lookup: a logistic regression over {@link PairFeatures} that
 * gives the probability that a near-hit asks the same thing as the stored prompt, and accepts
 * it above a decision threshold chosen for precision.
 *
 * <p>Why a second stage: only candidates that the index already found similar reach it, so it
 * can afford what would be too slow for every entry (the stored prompt's token vectors,
 * word-level comparison), and a small classifier can weigh evidence that a single cosine
 * threshold cannot. The weights are trained by {@code VerifierTraining} (cachet-llm-semantic's
 * test sources) on the training split of public paraphrase sets only and shipped as the resource
 * {@code dev/cachet/llm/semantic/verifier.json}; the held-out split is what the README reports.
 *
 * <p>Immutable and thread-safe.
 */
public final class Verifier {
  /** The resource of the bundled weights. */
  public static final String BUNDLED_RESOURCE = "/dev/cachet/llm/semantic/verifier.json";

  /**
   * The cosine similarity (bundled model) from which a neighbour is a candidate for
   * verification: low enough that paraphrases the model ranks modestly still reach the
   * verifier, high enough that most misses never pay for it. The weights are trained on
   * candidates above it only.
   */
  public static final double DEFAULT_CANDIDATE_SIMILARITY = 0.70;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final double[] means;
  private final double[] scales;
  private final double[] weights;
  private final double bias;
  private final double decisionThreshold;
  private final String model;
  private final Set<String> judgedRules;
  private final String provenance;

  /**
   * A verifier with explicit weights (features are standardized as {@code (x - mean) / scale}
   * before the weights apply).
   *
   * @param means the mean of each feature on the training data
   * @param scales the standard deviation of each feature on the training data (positive)
   * @param weights the weight of each standardized feature
   * @param bias the intercept
   * @param decisionThreshold the probability a candidate needs to be accepted, in [0, 1]
   * @param model the {@link Embedder#id()} of the model whose similarities and token vectors
   *     the weights were trained on; the verifier is only used with that model
   * @param judgedRules the {@link SemanticGuard} rules whose rejections are not a veto with this
   *     verifier: it judges those candidates itself (it sees the rule among its features)
   * @param provenance what the weights were trained on, for people
   */
  public Verifier(double[] means, double[] scales, double[] weights, double bias,
      double decisionThreshold, String model, Set<String> judgedRules,
      String provenance) {
    int n = PairFeatures.NAMES.size();
    if (means.length != n || scales.length != n || weights.length != n) {
      throw new IllegalArgumentException("A verifier needs " + n + " means, scales and weights ("
          + PairFeatures.NAMES + "), got " + means.length + ", " + scales.length + " and "
          + weights.length);
    }
    for (double s : scales) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("Feature scales must be positive, got " + s);
      }
    }
    if (!(decisionThreshold >= 0 && decisionThreshold <= 1)) {
      throw new IllegalArgumentException("The decision threshold is a probability in [0, 1], "
          + "got " + decisionThreshold);
    }
    this.means = means.clone();
    this.scales = scales.clone();
    this.weights = weights.clone();
    this.bias = bias;
    this.decisionThreshold = decisionThreshold;
    this.model = Objects.requireNonNull(model, "model");
    this.judgedRules = Set.copyOf(judgedRules);
    this.provenance = Objects.requireNonNull(provenance, "provenance");
  }

  /**
   * The bundled verifier (weights from the resource {@value #BUNDLED_RESOURCE}).
   *
   * @return the verifier
   */
  public static Verifier bundled() {
    try (InputStream in = Verifier.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("The verifier weights " + BUNDLED_RESOURCE
            + " are missing from the class path");
      }
      return fromJson(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the verifier weights " + BUNDLED_RESOURCE, e);
    }
  }

  /**
   * Reads a verifier written by {@link #toJson()}.
   *
   * @param node the JSON object
   * @return the verifier
   * @throws IllegalArgumentException when the features it was trained on are not this
   *     version's {@link PairFeatures#NAMES}
   */
  public static Verifier fromJson(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.get("features").forEach(f -> names.add(f.asText()));
    if (!names.equals(PairFeatures.NAMES)) {
      throw new IllegalArgumentException("The verifier weights were trained on features "
          + names + ", this version computes " + PairFeatures.NAMES + ": retrain them");
    }
    return new Verifier(doubles(node.get("means")), doubles(node.get("scales")),
        doubles(node.get("weights")), node.get("bias").asDouble(),
        node.get("decisionThreshold").asDouble(), node.path("model").asText(""),
        strings(node.path("judgedGuardRules")), node.path("provenance").asText(""));
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  /**
   * The weights as JSON, the format of the bundled resource.
   *
   * @return a JSON object
   */
  public ObjectNode toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("provenance", provenance);
    node.put("model", model);
    ArrayNode rules = node.putArray("judgedGuardRules");
    new TreeSet<>(judgedRules).forEach(rules::add);
    ArrayNode names = node.putArray("features");
    PairFeatures.NAMES.forEach(names::add);
    ArrayNode m = node.putArray("means");
    ArrayNode s = node.putArray("scales");
    ArrayNode w = node.putArray("weights");
    for (int i = 0; i < weights.length; i++) {
      m.add(means[i]);
      s.add(scales[i]);
      w.add(weights[i]);
    }
    node.put("bias", bias);
    node.put("decisionThreshold", decisionThreshold);
    return node;
  }

  /**
   * A copy that accepts candidates from another probability on.
   *
   * @param threshold the probability a candidate needs, in [0, 1]
   * @return the new verifier
   */
  public Verifier withDecisionThreshold(double threshold) {
    return new Verifier(means, scales, weights, bias, threshold, model, judgedRules, provenance);
  }

  /**
   * The probability that a pair with these features asks the same thing.
   *
   * @param features the output of {@link PairFeatures#of}
   * @return a probability in (0, 1)
   */
  public double probability(double[] features) {
    if (features.length != weights.length) {
      throw new IllegalArgumentException("Expected " + weights.length + " features, got "
          + features.length);
    }
    double z = bias;
    for (int i = 0; i < weights.length; i++) {
      z += weights[i] * (features[i] - means[i]) / scales[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * Whether a pair with these features is accepted.
   *
   * @param features the output of {@link PairFeatures#of}
   * @return true when its probability reaches the decision threshold
   */
  public boolean accepts(double[] features) {
    return probability(features) >= decisionThreshold;
  }

  /**
   * The probability a candidate needs to be accepted.
   *
   * @return the decision threshold
   */
  public double decisionThreshold() {
    return decisionThreshold;
  }

  /**
   * The model the weights were trained for.
   *
   * @return an {@link Embedder#id()}
   */
  public String model() {
    return model;
  }

  /**
   * Whether a candidate with this guard verdict goes on to the verifier: the guard accepted it,
   * or rejected it by a rule this verifier judges itself ({@link #judgedRules()}).
   *
   * @param verdict the guard's verdict on the candidate
   * @return true when the verifier decides
   */
  public boolean passesGuard(SemanticGuard.Verdict verdict) {
    return verdict.accepted() || judgedRules.contains(verdict.rule());
  }

  /**
   * The guard rules whose rejections this verifier overrules when it accepts.
   *
   * @return rule names such as {@code entities}; unmodifiable, empty when every rule is a veto
   */
  public Set<String> judgedRules() {
    return judgedRules;
  }

  /**
   * Whether this verifier can judge an embedder's candidates: the weights were trained on that
   * model's similarities and token vectors.
   *
   * @param embedder the embedder
   * @return true when {@link #model()} is its id
   */
  public boolean appliesTo(Embedder embedder) {
    return embedder.id().equals(model);
  }

  /**
   * What the weights were trained on.
   *
   * @return a sentence for people
   */
  public String provenance() {
    return provenance;
  }

  /**
   * Describes this verifier for logs.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "Verifier[" + model + ", logistic regression over " + weights.length
        + " features, accepts from p >= "
        + decisionThreshold + "]";
  }
}
