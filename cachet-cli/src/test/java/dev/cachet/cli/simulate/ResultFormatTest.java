package dev.cachet.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultFormatTest {
  private static final SimulationResult RESULT = new SimulationResult("gli.trace.gz", 6015, 2529,
      List.of(SimulatedPolicy.LRU, SimulatedPolicy.OPT), List.of(250, 2000),
      Map.of(SimulatedPolicy.LRU, new long[] {55, 3453}, SimulatedPolicy.OPT,
          new long[] {1061, 3486}));

  @Test
  void tableHasOneRowPerPolicyAndOneColumnPerSize() {
    String table = ResultFormat.TABLE.render(RESULT);

    assertThat(table).contains("Trace gli.trace.gz: 6,015 accesses, 2,529 distinct keys");
    assertThat(table.lines()).contains(
        "policy    250   2000",
        "LRU      0.91  57.41",
        "OPT     17.64  57.96");
    assertThat(table).contains("Belady");
  }

  @Test
  void csvHasAHeaderAndOneLinePerPolicyAndSize() {
    assertThat(ResultFormat.CSV.render(RESULT).lines()).containsExactly(
        "trace,policy,size,accesses,distinct_keys,hits,hit_ratio_percent",
        "gli.trace.gz,LRU,250,6015,2529,55,0.91",
        "gli.trace.gz,LRU,2000,6015,2529,3453,57.41",
        "gli.trace.gz,OPT,250,6015,2529,1061,17.64",
        "gli.trace.gz,OPT,2000,6015,2529,3486,57.96");
  }

  @Test
  void csvQuotesTraceNamesHoldingCommas() {
    SimulationResult r = new SimulationResult("a,b", 1, 1, List.of(SimulatedPolicy.LRU),
        List.of(1), Map.of(SimulatedPolicy.LRU, new long[] {0}));

    assertThat(ResultFormat.CSV.render(r)).contains("\"a,b\",LRU,1,");
  }
}
