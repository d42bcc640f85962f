package io.fluxops.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The address check of {@code --control-plane real}, for systems this machine is not. */
class KwokControlPlaneTest {

  @Test
  void onMacOsWithoutAliasesItNamesTheOneCommandThatAddsThem() {
    assertThatThrownBy(
            () -> KwokControlPlane.checkAddresses("Mac OS X", a -> a.equals("127.0.0.1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not answer 127.0.1.1 and 39 more")
        .hasMessageEndingWith(
            "add them with: for i in $(seq 1 40); do sudo ifconfig lo0 alias 127.0.1.$i up; done")
        .message()
        .doesNotContain("\n");
  }

  @Test
  void onWindowsAndLinuxTheCommandIsTheirs() {
    assertThat(KwokControlPlane.aliasCommand("Windows 11")).startsWith("netsh interface ipv4");
    assertThat(KwokControlPlane.aliasCommand("Linux"))
        .isEqualTo("sudo ip addr add 127.0.1.0/24 dev lo");
  }

  @Test
  void whereEveryAddressAnswersThereIsNothingToDo() {
    KwokControlPlane.checkAddresses("Mac OS X", a -> true);
  }

  @Test
  void thisLinuxMachineAnswersThePodRange() {
    assertThat(KwokControlPlane.bindable("127.0.1.7")).isTrue();
  }
}
