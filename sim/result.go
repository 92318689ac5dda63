package sim

import (
	"github.com/entrench/entrench/scenarios"
)

// Metric describes one per-tick metric. Every per-tick metric lies in [0, 1].
type Metric struct {
	// Name is the machine name used in CSV files, e.g. "cooperation" or
	// "channel.tapi".
	Name string
	// Label is a human label for figures and tables.
	Label string
	// Group is "overall", "channel", "side", "willingness", "attention",
	// "environment" or "probe". A "probe" metric is defined at probe dates
	// (metrics.probe_every_months and the last tick) and holds the latest
	// probe's value between them (0 before the first probe).
	Group string
}

// EntrenchmentLabel is the label of the headline "entrenchment" series.
const EntrenchmentLabel = "Entrenchment (stress probe; held between probes)"

// EntrenchmentMeaning says in one line what the stress probe's
// entrenchment measures; figures and pages that show it print it.
const EntrenchmentMeaning = "if a Crimea-size crisis hit now and attention waned, the share of cooperation still standing a year later"

// Summary metric indices. A Summary holds one value per index; NaN marks a
// value that is undefined for the run (no entrenchment reached, no setback
// to recover from).
const (
	SumFinalCooperation       = iota // cooperation level at the last tick, 0..1
	SumMeanCooperation               // mean cooperation level over all ticks, 0..1
	SumPeakCooperation               // highest cooperation level, 0..1
	SumFinalEntrenchment             // entrenchment measured by the stress probe at the last tick, 0..1; NaN with probing off
	SumTimeToEntrenchment            // months from start to the first probe date from which entrenchment stays at or above metrics.entrenchment_threshold for a year; NaN if never
	SumMeanEntrenchment              // mean entrenchment over the probes of the run, 0..1; NaN with probing off
	SumSetbacks                      // number of setbacks (falls of at least metrics.setback_depth from the running peak)
	SumMeanSetbackDepth              // mean depth of setbacks, cooperation units; NaN if none
	SumMaxSetbackDepth               // deepest setback, cooperation units; 0 if none
	SumMeanRecoveryMonths            // mean months from trough to recovery over recovered setbacks; NaN if none recovered
	SumUnrecovered                   // setbacks not recovered by the end of the run
	SumRatchetRatio                  // net change over total variation of cooperation: 1 monotone gain, 1/3 two steps forward one back; NaN if flat
	SumCrises                        // crises (random and scheduled) that met some cooperation (level before >= 0.001)
	SumCrisisSurvival                // share of crises that cooperation survived (see metrics.survival_*); NaN if no crisis
	SumFinalAfghanStability          // Afghan stability at the last tick, 0..1
	SumFinalRuMilitary               // stance of eastern military organizations at the last tick, 0..1; NaN if there is none
	SumMeanRuMilitary                // mean stance of eastern military organizations over all ticks, 0..1
	SumExchangedShare                // share of eastern officials who took part in a mil-to-mil exchange, at the end
	SumExchangedPromotedShare        // that share among officials above the lowest rank, at the end
	SumSuspensions                   // channels suspended during the run (a channel suspended by several sides at once counts once)
	SumSuspendedMonths               // channel-months spent suspended
	NumSummary                       // number of summary metrics
)

// SummaryNames are the CSV column names of the summary metrics, by index.
var SummaryNames = [NumSummary]string{
	"final_cooperation", "mean_cooperation", "peak_cooperation",
	"final_entrenchment", "time_to_entrenchment_months", "mean_entrenchment",
	"setbacks", "mean_setback_depth", "max_setback_depth",
	"mean_recovery_months", "unrecovered_setbacks", "ratchet_ratio",
	"crises", "crisis_survival", "final_afghan_stability",
	"final_ru_military_stance", "mean_ru_military_stance",
	"exchanged_share", "exchanged_promoted_share",
	"suspensions", "suspended_months",
}

// SummaryLabels are human labels of the summary metrics, by index.
var SummaryLabels = [NumSummary]string{
	"Final cooperation", "Mean cooperation", "Peak cooperation",
	"Final entrenchment (stress probe)", "Time to entrenchment (months)", "Mean entrenchment (stress probe)",
	"Setbacks (count)", "Mean setback depth", "Max setback depth",
	"Mean recovery (months)", "Unrecovered setbacks", "Ratchet ratio",
	"Crises (count)", "Crisis survival (share)", "Final Afghan stability",
	"Final Russian military stance", "Mean Russian military stance",
	"Exchanged officials (share)", "Exchanged among promoted (share)",
	"Suspensions (count)", "Suspended channel-months",
}

// Summary holds one run's summary metrics, indexed by the Sum* constants.
type Summary [NumSummary]float64

// EventRecord is one event that fired in a run.
type EventRecord struct {
	// Tick is the tick at which the event fired (1..horizon).
	Tick int
	// Date is the calendar month of that tick (for a scheduled event, the
	// date of the tick it fell in, which is its own date with monthly
	// ticks).
	Date scenarios.Month
	// Kind is "crisis", "initiative", "lever" or "attention" (scheduled or
	// random), or "suspension" or "resumption" (an executive's decision).
	Kind string
	// Name is the scheduled event's name, or "random crisis" /
	// "random initiative".
	Name string
	// Scheduled is true for events from the scenario file.
	Scheduled bool
	// Severity is the crisis severity or step strength, 0..1.
	Severity float64
	// CooperationBefore is the cooperation level just before the event.
	CooperationBefore float64
	// CooperationAfter is the cooperation level at the end of the tick.
	CooperationAfter float64
}

// RunResult is the outcome of one replicate. Series is metric-major:
// the value of metric m at tick t is Series[m*(Ticks)+t], with Ticks =
// horizon+1 (tick 0 is the initial state).
type RunResult struct {
	// Point is the design point (0 for a plain run).
	Point int
	// Replicate is the replicate number, from 0.
	Replicate int
	// Series holds every per-tick metric; see the type comment.
	Series []float64
	// Summary holds the run's summary metrics.
	Summary Summary
	// Events lists the events that fired, in order.
	Events []EventRecord
	// Err is non-nil when the replicate failed (a NaN, a panic in a rule);
	// Series and Summary are then not meaningful.
	Err error
}

// Value returns metric m at tick t.
func (r *RunResult) Value(m, t, ticks int) float64 { return r.Series[m*ticks+t] }
