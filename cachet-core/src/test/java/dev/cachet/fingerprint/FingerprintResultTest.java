package dev.cachet.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The outcome of fingerprinting: a value, or the reason the user must give a version. */
class FingerprintResultTest {

  @Test
  void aKnownFingerprintHasItsValueAndNoReason() {
    Fingerprint known = Fingerprint.known("abc");
    assertThat(known.isKnown()).isTrue();
    assertThat(known.value()).isEqualTo("abc");
    assertThat(known.reason()).isNull();
    assertThat(known.toOptional()).contains("abc");
    assertThat(known.orElseThrow()).isEqualTo("abc");
  }

  @Test
  void anUnknownFingerprintCarriesItsReasonToTheUser() {
    Fingerprint unknown = Fingerprint.unknown("give it a version");
    assertThat(unknown.isKnown()).isFalse();
    assertThat(unknown.value()).isNull();
    assertThat(unknown.toOptional()).isEmpty();
    assertThatThrownBy(unknown::orElseThrow)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("give it a version");
  }

  @Test
  void exactlyOneOfValueAndReason() {
    assertThatThrownBy(() -> new Fingerprint("abc", "why"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Fingerprint(null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fingerprint.known(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Fingerprint.unknown(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void sha256IsTheDigestOfTheUtf8Text() {
    // The SHA-256 of "abc" (FIPS 180-2, appendix B.1).
    assertThat(Sha256.hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
