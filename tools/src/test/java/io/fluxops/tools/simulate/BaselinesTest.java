package io.fluxops.tools.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fluxops.autoscale.Replicas;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BaselinesTest {

  private static Instant at(double seconds) {
    return Simulator.EPOCH.plusMillis((long) (seconds * 1000));
  }

  @Test
  void hpaGrowsAtMostByItsDefaultRatePerSync() {
    HpaBaseline hpa = new HpaBaseline(100, 2);
    assertThat(hpa.poll(at(0), 200, Replicas.allReady(2))).isEqualTo(6);
    assertThat(hpa.poll(at(15), 200, Replicas.allReady(6))).isEqualTo(12);
  }

  @Test
  void hpaIgnoresChangesWithinItsTolerance() {
    HpaBaseline hpa = new HpaBaseline(100, 2);
    assertThat(hpa.poll(at(0), 21, Replicas.allReady(10))).isEqualTo(10);
  }

  @Test
  void hpaShrinksOnlyAfterFiveMinutesAndNeverToZero() {
    HpaBaseline hpa = new HpaBaseline(100, 2);
    assertThat(hpa.poll(at(0), 20, Replicas.allReady(10))).isEqualTo(10);
    assertThat(hpa.poll(at(15), 0, Replicas.allReady(10))).isEqualTo(10);
    assertThat(hpa.poll(at(299), 0, Replicas.allReady(10))).isEqualTo(10);
    assertThat(hpa.poll(at(300), 0, Replicas.allReady(10))).isEqualTo(1);
  }

  @Test
  void kedaActivatesAtItsPollAndDeactivatesAfterTheCooldown() {
    KedaBaseline keda = new KedaBaseline(100, 2);
    assertThat(keda.poll(at(0), 0, Replicas.allReady(0))).isZero();
    // A job arrives at 5 s; KEDA looks again only at 30 s.
    assertThat(keda.poll(at(15), 1, Replicas.allReady(0))).isZero();
    assertThat(keda.poll(at(30), 1, Replicas.allReady(0))).isEqualTo(1);
    // Last seen active at 30 s: zero once 300 s have passed at a KEDA poll.
    assertThat(keda.poll(at(300), 0, Replicas.allReady(1))).isEqualTo(1);
    assertThat(keda.poll(at(330), 0, Replicas.allReady(1))).isZero();
  }
}
