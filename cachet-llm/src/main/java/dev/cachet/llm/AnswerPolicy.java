package dev.cachet.llm;

/**
 * Which answers {@link LlmCache} may serve and store: a sampled request is not served unless
 * allowed (its caller asked for variety), and only complete answers are stored (a truncated
 * one only when allowed), since a stored answer is replayed to every later caller.
 */
final class AnswerPolicy {
  private final boolean serveSampled;
  private final double assumedTemperature;
  private final boolean storeTruncated;

  AnswerPolicy(boolean serveSampled, double assumedTemperature, boolean storeTruncated) {
    this.serveSampled = serveSampled;
    this.assumedTemperature = assumedTemperature;
    this.storeTruncated = storeTruncated;
  }

  /** Why a stored answer must not be served for this request, or null when it may be. */
  String sampledReason(LlmRequest request, CallOptions options) {
    double t = request.temperature() != null ? request.temperature() : assumedTemperature;
    boolean serve = options.serveSampledOverride() != null ? options.serveSampledOverride()
        : serveSampled;
    if (t > 0 && request.seed() == null && !serve) {
      return "temperature " + t + (request.temperature() == null ? " (assumed)" : "")
          + " > 0 without a seed: cached answers are not served (CallOptions.serveSampled"
          + "(true) allows it)";
    }
    return null;
  }

  /** Why an answer must not be stored, or null when it may be. */
  String refusal(LlmResponse response) {
    if (response == null) {
      return "no response";
    }
    FinishReason reason = response.finishReason();
    if (reason == null) {
      return "incomplete answer: no finish reason";
    }
    switch (reason) {
      case STOP, TOOL_CALLS -> {
      }
      case LENGTH -> {
        if (!storeTruncated) {
          return "truncated answer (finish reason length); storeTruncated(true) allows it";
        }
      }
      default -> {
        return "finish reason " + reason.wireName() + " is not a complete answer";
      }
    }
    if ((response.content() == null || response.content().isEmpty())
        && response.toolCalls().isEmpty()) {
      return "empty answer";
    }
    return null;
  }
}
