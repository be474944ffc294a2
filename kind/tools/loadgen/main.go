// burstlab-loadgen plays a traffic plan as open-model HTTP load with vegeta's attacker, one attack per workload,
// each paced by a step plan (a constant rate per step, steps back to back with no gap between them), and streams
// every result to stdout as vegeta's JSON encoding (the format of `vegeta encode --to json`). The first stdout line
// is {"start":"<RFC 3339 time>"}: the instant the plan's time zero was, so results can be placed on the plan.
//
// It stops when the plan ends, on SIGTERM/SIGINT, or when stdin reaches end of file. The parent holds stdin's pipe
// open and never writes to it; when the parent dies, however it dies (SIGKILL included), the kernel closes that pipe
// and this process exits: a parent-death watchdog that needs no polling and no platform-specific call.
//
// Targets must be loopback addresses: the harness never sends load anywhere else.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"sort"
	"sync"
	"syscall"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

type workloadPlan struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	// Steps back to back from the plan's time zero: StepsMs[i] wall milliseconds at Rates[i] requests per wall second.
	StepsMs []float64 `json:"stepsMs"`
	Rates   []float64 `json:"rates"`
}

type plan struct {
	TimeoutMs float64        `json:"timeoutMs"`
	Workloads []workloadPlan `json:"workloads"`
}

func main() {
	planPath := flag.String("plan", "", "path of the JSON plan")
	flag.Parse()
	if err := run(*planPath); err != nil {
		fmt.Fprintln(os.Stderr, "burstlab-loadgen:", err)
		os.Exit(2)
	}
}

func run(planPath string) error {
	p, err := readPlan(planPath)
	if err != nil {
		return err
	}
	out := &lockedWriter{w: bufio.NewWriterSize(os.Stdout, 64<<10)}
	start := time.Now()
	if err := out.line(fmt.Appendf(nil, "{\"start\":%q}\n", start.Format(time.RFC3339Nano))); err != nil {
		return err
	}
	stop := make(chan struct{})
	var once sync.Once
	halt := func() { once.Do(func() { close(stop) }) }
	go watchParent(halt)
	go func() {
		signals := make(chan os.Signal, 1)
		signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
		<-signals
		halt()
	}()
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				out.flush()
			}
		}
	}()

	var wg sync.WaitGroup
	encode := vegeta.NewJSONEncoder(out)
	for _, w := range p.Workloads {
		attacker := vegeta.NewAttacker(
			vegeta.Timeout(time.Duration(p.TimeoutMs*float64(time.Millisecond))),
			vegeta.KeepAlive(true),
			vegeta.HTTP2(false),
		)
		pacer := newStepPacer(w)
		targeter := vegeta.NewStaticTargeter(vegeta.Target{Method: "GET", URL: w.URL})
		results := attacker.Attack(targeter, pacer, pacer.duration(), w.Name)
		wg.Add(1)
		go func() {
			defer wg.Done()
			go func() {
				<-stop
				attacker.Stop()
			}()
			for r := range results {
				if err := out.encode(encode, r); err != nil {
					halt()
					return
				}
			}
		}()
	}
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-stop:
		// An attack sleeping through a long pause would hold the process; in-flight results get a moment, no more.
		select {
		case <-finished:
		case <-time.After(stopGrace):
		}
	}
	halt()
	return out.flush()
}

// stopGrace is how long in-flight requests may still report once told to stop; the harness kills the process
// group if it outlives a little more than this.
const stopGrace = 2 * time.Second

func readPlan(path string) (plan, error) {
	var p plan
	raw, err := os.ReadFile(path)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, fmt.Errorf("%s: %w", path, err)
	}
	return p, validate(p)
}

func validate(p plan) error {
	if p.TimeoutMs <= 0 {
		return errors.New("plan: timeoutMs must be positive")
	}
	for _, w := range p.Workloads {
		if len(w.StepsMs) != len(w.Rates) {
			return fmt.Errorf("plan: workload %q: stepsMs and rates differ in length", w.Name)
		}
		for i, ms := range w.StepsMs {
			if ms <= 0 {
				return fmt.Errorf("plan: workload %q: stepsMs[%d] must be positive", w.Name, i)
			}
		}
		u, err := url.Parse(w.URL)
		if err != nil {
			return fmt.Errorf("plan: workload %q: %w", w.Name, err)
		}
		ip := net.ParseIP(u.Hostname())
		if u.Scheme != "http" || ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("plan: workload %q: %s is not an http URL on a loopback address", w.Name, w.URL)
		}
		for i, r := range w.Rates {
			if r < 0 {
				return fmt.Errorf("plan: workload %q: rates[%d] is negative", w.Name, i)
			}
		}
	}
	return nil
}

// watchParent calls halt when stdin ends: the parent closed it, or died and the kernel closed it.
func watchParent(halt func()) {
	_, _ = io.Copy(io.Discard, os.Stdin)
	halt()
}

// stepPacer sends at Rates[i] hits per second during step i: the hits due by `elapsed` are the integral of the
// rate, so a rate change takes effect at once and no step boundary leaves a gap or a burst.
type stepPacer struct {
	rates []float64
	// ends[i] is when step i ends; cum[i] is the number of hits due by the start of step i.
	ends []time.Duration
	cum  []float64
}

func newStepPacer(w workloadPlan) *stepPacer {
	ends := make([]time.Duration, len(w.Rates))
	cum := make([]float64, len(w.Rates)+1)
	var at time.Duration
	for i, r := range w.Rates {
		step := time.Duration(w.StepsMs[i] * float64(time.Millisecond))
		at += step
		ends[i] = at
		cum[i+1] = cum[i] + r*step.Seconds()
	}
	return &stepPacer{rates: w.Rates, ends: ends, cum: cum}
}

func (p *stepPacer) duration() time.Duration {
	if len(p.ends) == 0 {
		return time.Nanosecond
	}
	return p.ends[len(p.ends)-1]
}

func (p *stepPacer) begin(i int) time.Duration {
	if i == 0 {
		return 0
	}
	return p.ends[i-1]
}

func (p *stepPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	next := float64(hits + 1)
	if next > p.cum[len(p.cum)-1] {
		return 0, true
	}
	// The first step by whose end the next hit is due; its rate is positive, as the hits due grow within it.
	i := sort.Search(len(p.rates), func(i int) bool { return p.cum[i+1] >= next })
	due := p.begin(i) + time.Duration((next-p.cum[i])/p.rates[i]*float64(time.Second))
	if due <= elapsed {
		return 0, false
	}
	return due - elapsed, false
}

func (p *stepPacer) Rate(elapsed time.Duration) float64 {
	i := sort.Search(len(p.ends), func(i int) bool { return p.ends[i] > elapsed })
	if elapsed < 0 || i >= len(p.rates) {
		return 0
	}
	return p.rates[i]
}

// lockedWriter serialises the attacks' results into one stream of whole lines.
type lockedWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) { return l.w.Write(b) }

func (l *lockedWriter) encode(enc vegeta.Encoder, r *vegeta.Result) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return enc(r)
}

func (l *lockedWriter) line(b []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.w.Write(b)
	return err
}

func (l *lockedWriter) flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Flush()
}
