package dev.cachet.llm.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SemanticGuardTest {
  private final SemanticGuard guard = new SemanticGuard();

  private void rejects(String a, String b, String rule) {
    SemanticGuard.Verdict v = guard.check(a, b);
    assertThat(v.accepted()).as(a + " / " + b).isFalse();
    assertThat(v.rule()).isEqualTo(rule);
  }

  private void accepts(String a, String b) {
    assertThat(guard.check(a, b).accepted()).as(a + " / " + b + ": " + guard.check(a, b))
        .isTrue();
  }

  @Test
  void numbersMustMatch() {
    rejects("What is 2+3?", "What is 2+4?", "numbers");
    rejects("Give me three tips", "Give me ten tips", "numbers");
    rejects("What is the 10th Fibonacci number?", "What is the 20th Fibonacci number?",
        "numbers");
    accepts("Give me 3 tips", "Give me three tips");
    accepts("It costs 2.50", "It costs 2.5");
  }

  @Test
  void operatorsMustMatch() {
    rejects("What is 2+3?", "What is 2*3?", "operators");
    rejects("What is 6 plus 2?", "What is 6 divided by 2?", "operators");
  }

  @Test
  void negationsMustMatch() {
    rejects("Why does my code work?", "Why doesn't my code work?", "negation");
    rejects("Is it safe to eat raw eggs?", "Is it unsafe to eat raw eggs?", "negation");
    rejects("How do I make bread with yeast?", "How do I make bread without yeast?",
        "negation");
  }

  @Test
  void keyEntitiesMustMatch() {
    rejects("What is the function of TV?", "What is the function of money?", "entities");
    rejects("How do I reverse a list in Python?", "How do I reverse a list in Java?",
        "entities");
    accepts("What is the capital of Australia?", "Which city is Australia's capital?");
    accepts("how do I reverse a list in python", "How do I reverse a Python list?");
  }

  @Test
  void swappedRolesAreRejected() {
    rejects("Convert USD to EUR.", "Convert EUR to USD.", "roles");
    rejects("Is a cat bigger than a dog?", "Is a dog bigger than a cat?", "roles");
    rejects("Flights from London to Paris", "Flights from Paris to London", "roles");
  }

  @Test
  void oppositesAreRejected() {
    rejects("How do I upload a file to S3?", "How do I download a file from S3?", "opposites");
    // Found by hand: the model puts these at 0.94 and the verifier at p 0.97.
    rejects("Is coffee bad for your heart?", "Is coffee good for your heart?", "opposites");
  }
}
