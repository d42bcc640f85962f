package io.fluxops.autoscale;

import io.fluxops.autoscale.ScalerState.LevelGaps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * How long to keep each replica once the load no longer needs it, learned from the idle gaps each
 * replica level has seen (the hybrid histogram policy of Shahrad et al., "Serverless in the Wild",
 * USENIX ATC 2020, per replica level and priced in GPU-seconds). Pure functions of the state.
 *
 * <p>The first replica is needed while there is work; the k-th while the recommendation is at least
 * k. When a level's need ends, holding its replica through the gap costs the gap's GPU-seconds (up
 * to the hold); letting it go costs, if the gap ends after the hold, a pod start and the images
 * that go late because the replica is missing then. Over the level's recent gaps the keep-alive is
 * the hold with the least total cost (ski rental with the distribution known): gaps that usually
 * end soon are held through, long ones are let go at once. It only ever lengthens today's rule (the
 * scale-down window, and {@code idleBeforeZero} for the last replica), never shortens it, and falls
 * back to it while a level has seen fewer than {@link #REPRESENTATIVE} gaps.
 *
 * <p>The figures below for generated traces are for the traces the generator made before it mixed
 * its seeds (BENCHMARKS.md).
 *
 * <p>Pre-warming (Shahrad's other half: let a replica go and start it again before a long, regular
 * gap ends) is not done: on the committed and generated traces the gaps are either exponential
 * (on/off traffic) or spread over tens of minutes (bursts 15–45 minutes apart), so the window a
 * pre-warmed replica would wait through costs more than the cold start it saves (BENCHMARKS.md).
 */
final class KeepAlive {

  /** Gaps shorter than this are the noise of a busy level (two polls), not idle time. */
  static final long MIN_GAP_SECONDS = 10;

  /** Gaps a level must have seen before its own keep-alive replaces today's rule. */
  static final int REPRESENTATIVE = 5;

  /**
   * The longest keep-alive: 30 minutes. Longer gaps count as outlasting any hold; the
   * recommendations are remembered this long so that a held level can be found in them.
   */
  static final long LONGEST_SECONDS = 1800;

  /** Levels above this keep today's window: a bound on the state (32 levels of 16 gaps). */
  static final int MAX_LEVELS = 32;

  /**
   * How many times the arrivals of a cold window go late: those that arrive while no replica could
   * start them within the budget, and about as many queued behind them that the replica, when it
   * comes, starts too late as well. Checked in the simulator at 60 s starts: 8.7 images late per
   * cold start on the heavy-tailed trace (RTX 4090), where the arrivals of the cold window are
   * about 4; 4.7 on Blackwell, where they are about 1.5.
   */
  static final double LATE_PER_COLD_ARRIVAL = 2;

  /**
   * How many release costs a level is held past the longest gap it has seen, when the cheapest hold
   * over its gaps holds through all of them: 2. Such a level has only seen silences that ended, so
   * its history says nothing of how long the next one may last; renting on for what a cold start
   * costs is ski rental's answer where the distribution is unknown. Checked in the simulator at 60
   * s starts (RTX 4090): without it, heavy-tailed traffic kept 1.01 % of its images over the SLO
   * (1.25 % on the generated trace of seed 202); with one release cost 0.64 % (0.73 %); with two
   * 0.52 % (0.60 %), at 0.33 GPU-hours more than without; with three no fewer, at 0.3 GPU-hours
   * more after an idle hour.
   */
  static final double UNSEEN_TAIL_RELEASES = 2;

  /**
   * Silences (gaps longer than today's rule) a level must have seen before it is held past its
   * longest: 3. A level's lulls within one burst are not silences the next will resemble; with 1
   * the upper replicas of a single burst were held 7 minutes after it ended, and diurnal load took
   * 1.4 GPU-hours more for no image; with 5 the generated heavy-tailed trace of seed 303 kept 0.90
   * % of its images over the SLO (0.68 % with 3), for 0.5 GPU-hours fewer after an idle hour.
   */
  static final int SILENCES_SEEN = 3;

  private KeepAlive() {}

  /**
   * The idle gaps after a poll at {@code nowSecond}: every level from {@code minReplicas + 1} up to
   * {@link #MAX_LEVELS} that is needed now (the first while {@code queued}, the k-th while {@code
   * recommendation >= k}) closes its gap, and is stamped needed now. Its rate is the highest {@code
   * arrivalsPerSecond} (the rate over the shortest window at least a pod start long: 80 s at 60 s
   * starts) of its latest <i>busy period</i>, its needs with no gap of {@code busySeconds} (the
   * scale-down window, which today's rule holds a replica through) between them: what a cold start
   * costs is set by the rate a burst comes at, while the moment a level is last needed is the
   * burst's tail, when the queue drains. A busy period can last hours (a day whose queue is never
   * empty for a window): its rate is then the highest 80 s estimate of those hours, noise included.
   * When a period opens, the one before is kept as the last burst ({@link #lastBurstPerSecond}). A
   * level counts as needed by the recommendation as decided, so a first order for the last burst
   * marks its levels needed too. Levels the minimum always keeps are not tracked, so nothing
   * changes while the workload idles.
   */
  static List<LevelGaps> observe(
      List<LevelGaps> levels,
      long nowSecond,
      int recommendation,
      boolean queued,
      double arrivalsPerSecond,
      int minReplicas,
      long busySeconds) {
    int highest = Math.min(MAX_LEVELS, Math.max(recommendation, queued ? 1 : 0));
    if (highest <= minReplicas) {
      return levels;
    }
    List<LevelGaps> next = new ArrayList<>(levels);
    for (int level = Math.max(1, minReplicas + 1); level <= highest; level++) {
      if (level == 1 && !queued) {
        continue; // the last replica is needed by work, not by the rate's recommendation
      }
      LevelGaps seen = find(next, level);
      if (seen == null) {
        double rate = Double.isFinite(arrivalsPerSecond) ? arrivalsPerSecond : 0;
        next.add(new LevelGaps(level, nowSecond, rate, 0, List.of()));
        continue;
      }
      List<Long> gaps = new ArrayList<>(seen.gaps());
      long gap = nowSecond - seen.lastNeededEpochSecond();
      if (gap >= MIN_GAP_SECONDS) {
        gaps.add(Math.min(gap, LONGEST_SECONDS + 1));
      }
      // The boundary comes from the gap alone: a rate missing at a period's start (the first poll
      // after a restart or an outage) must not carry the last burst's peak into the new period.
      boolean opens = gap >= busySeconds;
      double running = opens ? 0 : seen.arrivalsPerSecond();
      double rate =
          Double.isFinite(arrivalsPerSecond) ? Math.max(running, arrivalsPerSecond) : running;
      double lastBurst = opens ? seen.arrivalsPerSecond() : seen.lastBurstPerSecond();
      next.set(next.indexOf(seen), new LevelGaps(level, nowSecond, rate, lastBurst, gaps));
    }
    next.sort((a, b) -> Integer.compare(a.level(), b.level()));
    return next;
  }

  /**
   * The keep-alive of {@code level}, in seconds: today's {@code fallback} until the level has seen
   * {@link #REPRESENTATIVE} gaps, else the hold that costs least over its recent gaps, never less
   * than {@code fallback}. Where that hold outlasts every gap seen, and {@link #SILENCES_SEEN} of
   * them were longer than {@code fallback}, the level is held on past the longest by {@link
   * #UNSEEN_TAIL_RELEASES} release costs; gaps within {@code fallback} are the lulls of a busy
   * level, not silences.
   *
   * @param releaseCost GPU-seconds a gap that outlasts the hold costs: see {@link #releaseCost}
   */
  static long seconds(List<LevelGaps> levels, int level, long fallback, double releaseCost) {
    LevelGaps seen = find(levels, level);
    if (seen == null || seen.gaps().size() < REPRESENTATIVE) {
      return fallback;
    }
    TreeSet<Long> holds = new TreeSet<>(seen.gaps());
    holds.add(0L);
    holds.add(fallback);
    long best = 0;
    double least = Double.POSITIVE_INFINITY;
    for (long hold : holds) {
      if (hold > LONGEST_SECONDS) {
        break;
      }
      double cost = 0;
      for (long gap : seen.gaps()) {
        cost += Math.min(gap, hold) + (gap > hold ? releaseCost : 0);
      }
      if (cost < least - 1e-9) {
        least = cost;
        best = hold;
      }
    }
    long longest = Collections.max(seen.gaps());
    long silences = seen.gaps().stream().filter(gap -> gap > fallback).count();
    if (best >= longest && silences >= SILENCES_SEEN) {
      best = Math.max(best, longest + (long) Math.ceil(UNSEEN_TAIL_RELEASES * releaseCost));
    }
    return Math.max(Math.min(LONGEST_SECONDS, best), fallback);
  }

  /**
   * What letting the level-th replica go costs when its gap outlasts the hold, in GPU-seconds: its
   * pod start, plus the images that go late meanwhile, each worth {@code imageValue}. Those are the
   * arrivals of the <i>cold window</i>, the part of a pod start that no replica can make up within
   * the wait budget (a pod start plus a poll and an image, less the budget), {@link
   * #LATE_PER_COLD_ARRIVAL} times over, at the rate of the level's latest busy period (see {@link
   * #observe}); at most what one replica makes during a start; and the level-th replica's share of
   * them.
   *
   * <p>A k-th replica's share is {@code 1 / k}: the k replicas a burst needs share the images of
   * its first minute alike. Measured on the heavy-tailed trace, bursts that found 1, 2 and 3
   * replicas warm left fewer images late than that (2.5, 1.2 and 0.6 where a cold start left 8.7);
   * but with {@code 1 / k^1.5} the upper replicas went cold before the bursts that needed them:
   * heavy-tailed traffic kept 0.90 % of its images over the SLO instead of 0.52 %, and the
   * generated trace of seed 202 1.66 % instead of 0.60 %, for 3-4 % fewer GPU-hours there and 1 %
   * fewer on diurnal load, where no image was late either way.
   *
   * <p>The cap holds because a replica that is warm when a burst comes saves at most the images it
   * makes before the pods ordered for the burst are ready. Without it, heavy-tailed traffic kept
   * 0.23 % of its images over the SLO at 46.8 GPU-hours instead of 35.4 (76.5 instead of 43.8 on
   * seed 101): about 4,000 GPU-seconds for each image it saved, twenty times what one is worth.
   */
  static double releaseCost(
      int level,
      double arrivalsPerSecond,
      double podStartSeconds,
      double pollSeconds,
      double secondsPerImage,
      double budgetSeconds,
      double imageValue) {
    double cold = Math.max(0, podStartSeconds + pollSeconds + secondsPerImage - budgetSeconds);
    double late =
        Math.min(
            podStartSeconds / secondsPerImage, LATE_PER_COLD_ARRIVAL * arrivalsPerSecond * cold);
    return podStartSeconds + imageValue * late / level;
  }

  /**
   * The highest rate over a pod start of {@code level}'s latest busy period (see {@link #observe}),
   * 0 when it was never needed.
   */
  static double arrivalsPerSecond(List<LevelGaps> levels, int level) {
    LevelGaps seen = find(levels, level);
    return seen == null ? 0 : seen.arrivalsPerSecond();
  }

  /**
   * The rate of {@code level}'s last whole busy period at {@code nowSecond}: its latest one if that
   * has ended (no need for {@code busySeconds}), else the one before, which the latest opened
   * after. So a decision made again before the pods it ordered exist, or each poll of a workload
   * held at zero, orders for the same burst as the first; 0 when none is known.
   */
  static double lastBurstPerSecond(
      List<LevelGaps> levels, int level, long nowSecond, long busySeconds) {
    LevelGaps seen = find(levels, level);
    if (seen == null) {
      return 0;
    }
    return nowSecond - seen.lastNeededEpochSecond() >= busySeconds
        ? seen.arrivalsPerSecond()
        : seen.lastBurstPerSecond();
  }

  private static LevelGaps find(List<LevelGaps> levels, int level) {
    for (LevelGaps gaps : levels) {
      if (gaps.level() == level) {
        return gaps;
      }
    }
    return null;
  }
}
