package io.gpureservation.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** fc-resident-resource-pool.txt, "Scale out (upgrade)" and "Overdue payments". */
class ScaleOutTest {
  private static final PoolSize SIX_BY_40 = new PoolSize("cn-hangzhou", "Ada", 6, 40);

  @Test
  void moreCardsAndDiskApplyOnAnActivePool() {
    PoolSize bigger = new PoolSize("cn-hangzhou", "Ada", 8, 50);

    ScaleOut.Decision d = ScaleOut.decide(SIX_BY_40, bigger, PoolPhase.Active, false);

    assertThat(d.inForce()).isEqualTo(bigger);
    assertThat(d.changed()).isTrue();
    assertThat(d.refusal()).isEmpty();
  }

  @Test
  void unchangedSizeIsNoChange() {
    ScaleOut.Decision d = ScaleOut.decide(SIX_BY_40, SIX_BY_40, PoolPhase.Expired, true);

    assertThat(d.changed()).isFalse();
    assertThat(d.refusal()).isEmpty();
  }

  @Test
  void fewerCardsOrLessDiskIsRefused() {
    assertThat(
            ScaleOut.decide(
                    SIX_BY_40, new PoolSize("cn-hangzhou", "Ada", 5, 40), PoolPhase.Active, false)
                .refusal())
        .map(Refusal::reason)
        .contains(Refusal.NOT_ALLOWED);
    assertThat(
            ScaleOut.decide(
                    SIX_BY_40, new PoolSize("cn-hangzhou", "Ada", 8, 30), PoolPhase.Active, false)
                .inForce())
        .isEqualTo(SIX_BY_40);
  }

  @Test
  void cardTypeChangeIsRefused() {
    ScaleOut.Decision d =
        ScaleOut.decide(
            SIX_BY_40, new PoolSize("cn-hangzhou", "Hopper", 6, 40), PoolPhase.Active, false);

    assertThat(d.refusal()).map(Refusal::reason).contains(Refusal.NOT_ALLOWED);
    assertThat(d.inForce()).isEqualTo(SIX_BY_40);
  }

  @Test
  void scaleOutOfAnExpiredPoolIsRefusedUntilRenewed() {
    ScaleOut.Decision d =
        ScaleOut.decide(
            SIX_BY_40, new PoolSize("cn-hangzhou", "Ada", 7, 40), PoolPhase.Expired, false);

    assertThat(d.refusal()).map(Refusal::reason).contains(Refusal.POOL_EXPIRED);
    assertThat(d.refusal().orElseThrow().message()).contains("renew");
    assertThat(d.inForce()).isEqualTo(SIX_BY_40);
  }

  @Test
  void scaleOutWhileOverdueIsRefused() {
    ScaleOut.Decision d =
        ScaleOut.decide(
            SIX_BY_40, new PoolSize("cn-hangzhou", "Ada", 7, 40), PoolPhase.Active, true);

    assertThat(d.refusal()).map(Refusal::reason).contains(Refusal.OVERDUE);
    assertThat(d.inForce()).isEqualTo(SIX_BY_40);
  }
}
