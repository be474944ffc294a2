// burstlab-workload: the HTTP workload the kind target runs in real pods. Each request to / burns a configurable
// amount of CPU before answering, so that real HPAs see real CPU usage grow with the traffic plan; the server starts
// listening only after a configurable start-up delay, and /readyz answers 200 from then on (the readiness probe), so
// pod-to-ready on kind includes a start-up the scenario chose.
//
// Configuration (flags, or the environment variables named in each flag's help):
//
//	--listen       address to serve on (LISTEN, default :8080)
//	--cpu-per-request   CPU time each request to / burns, a Go duration (CPU_PER_REQUEST, default 10ms)
//	--startup-delay     time before the server listens (STARTUP_DELAY, default 0s)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func main() {
	listen := flag.String("listen", envOr("LISTEN", ":8080"), "address to serve on (LISTEN)")
	cpuText := flag.String("cpu-per-request", envOr("CPU_PER_REQUEST", "10ms"), "CPU time each request to / burns (CPU_PER_REQUEST)")
	delayText := flag.String("startup-delay", envOr("STARTUP_DELAY", "0s"), "time before the server listens (STARTUP_DELAY)")
	flag.Parse()
	cpu, err := time.ParseDuration(*cpuText)
	if err != nil || cpu < 0 {
		fmt.Fprintf(os.Stderr, "burstlab-workload: --cpu-per-request %q is not a non-negative duration such as 10ms\n", *cpuText)
		os.Exit(2)
	}
	delay, err := time.ParseDuration(*delayText)
	if err != nil || delay < 0 {
		fmt.Fprintf(os.Stderr, "burstlab-workload: --startup-delay %q is not a non-negative duration such as 2s\n", *delayText)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	select {
	case <-time.After(delay):
	case <-ctx.Done():
		return
	}

	var served atomic.Int64
	hostname, _ := os.Hostname()
	mux := http.NewServeMux()
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		burn(cpu)
		n := served.Add(1)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "%s %s\n", hostname, strconv.FormatInt(n, 10))
	})
	server := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	log.Printf("serving on %s after a %s start-up delay, %s of CPU per request", *listen, delay, cpu)
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// burn spins until this goroutine has used about d of CPU time on its thread, so that a request's cost is CPU, not
// wall time: under contention (more requests than cores) each takes longer, as a real CPU-bound handler does.
func burn(d time.Duration) {
	if d <= 0 {
		return
	}
	// The thread's CPU clock measures this request only while the goroutine stays on that thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var start syscall.Timespec
	if err := clockThreadCPU(&start); err != nil {
		// No per-thread clock: fall back to wall time.
		for end := time.Now().Add(d); time.Now().Before(end); {
		}
		return
	}
	x := uint64(1)
	for {
		for i := 0; i < 10000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
		var now syscall.Timespec
		if clockThreadCPU(&now) != nil || time.Duration(now.Nano()-start.Nano()) >= d {
			break
		}
	}
	sink.Store(x)
}

var sink atomic.Uint64

// clockThreadCPU reads CLOCK_THREAD_CPUTIME_ID (Linux; the image is built for linux only).
func clockThreadCPU(ts *syscall.Timespec) error {
	const clockThreadCPUTimeID = 3
	_, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(ts)), 0)
	if errno != 0 {
		return errno
	}
	return nil
}
