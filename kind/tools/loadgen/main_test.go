package main

import (
	"testing"
	"time"
)

// sendTimes replays the pacer as vegeta's attack loop does, without sleeping: each hit goes at the time Pace says.
func sendTimes(p *stepPacer) []time.Duration {
	var at []time.Duration
	var elapsed time.Duration
	for hits := uint64(0); ; hits++ {
		wait, stop := p.Pace(elapsed, hits)
		if stop {
			return at
		}
		elapsed += wait
		at = append(at, elapsed)
	}
}

func TestStepPacerSendsEachStepsRateWithNoGapOrBurstAtTheBoundaries(t *testing.T) {
	p := newStepPacer(workloadPlan{StepsMs: []float64{1000, 1000, 500}, Rates: []float64{10, 0, 20}})
	at := sendTimes(p)
	if len(at) != 20 {
		t.Fatalf("sent %d hits, want 10 + 0 + 10", len(at))
	}
	for i, want := range []time.Duration{100 * time.Millisecond, 1000 * time.Millisecond, 2050 * time.Millisecond, 2500 * time.Millisecond} {
		got := at[[]int{0, 9, 10, 19}[i]]
		if d := got - want; d < -time.Microsecond || d > time.Microsecond {
			t.Errorf("hit %d at %v, want %v", []int{0, 9, 10, 19}[i], got, want)
		}
	}
	if p.duration() != 2500*time.Millisecond {
		t.Errorf("duration %v, want 2.5s", p.duration())
	}
}

func TestStepPacerCatchesUpAtOnceWhenBehind(t *testing.T) {
	p := newStepPacer(workloadPlan{StepsMs: []float64{1000}, Rates: []float64{100}})
	if wait, stop := p.Pace(500*time.Millisecond, 10); wait != 0 || stop {
		t.Errorf("50 hits were due by 500ms and 10 sent: got wait %v stop %v, want 0 false", wait, stop)
	}
}

func TestStepPacerReportsEachStepsRate(t *testing.T) {
	p := newStepPacer(workloadPlan{StepsMs: []float64{1000, 1000}, Rates: []float64{5, 7}})
	for elapsed, want := range map[time.Duration]float64{0: 5, 999 * time.Millisecond: 5, time.Second: 7, 3 * time.Second: 0} {
		if got := p.Rate(elapsed); got != want {
			t.Errorf("Rate(%v) = %v, want %v", elapsed, got, want)
		}
	}
}

func TestReadPlanRefusesTargetsOffLoopback(t *testing.T) {
	for _, url := range []string{"http://10.0.0.1/w/web", "https://127.0.0.1/w/web", "http://localhost/w/web"} {
		p := plan{TimeoutMs: 1000, Workloads: []workloadPlan{{Name: "web", URL: url, StepsMs: []float64{1000}, Rates: []float64{1}}}}
		if err := validate(p); err == nil {
			t.Errorf("%s was accepted", url)
		}
	}
	ok := plan{TimeoutMs: 1000, Workloads: []workloadPlan{{Name: "web", URL: "http://[::1]:8080/w/web", StepsMs: []float64{1000}, Rates: []float64{1}}}}
	if err := validate(ok); err != nil {
		t.Errorf("::1 was refused: %v", err)
	}
}
