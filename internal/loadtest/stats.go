package loadtest

import (
	"slices"
	"sync"
	"time"
)

// Recorder collects the outcome of every request of one scenario. It is
// safe for concurrent use.
type Recorder struct {
	mu        sync.Mutex
	latencies []time.Duration
	statuses  map[int]int
}

func newRecorder() *Recorder {
	return &Recorder{statuses: map[int]int{}}
}

// Add records one request; status 0 means a transport error.
func (r *Recorder) Add(latency time.Duration, status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.latencies = append(r.latencies, latency)
	r.statuses[status]++
}

// Result is the summary of one measured run.
type Result struct {
	Name     string
	Requests int
	Elapsed  time.Duration
	P50      time.Duration
	P99      time.Duration
	P999     time.Duration
	Errors   map[int]int // status code (0: transport error) to count, for non-2xx
}

// PerSecond returns the completed requests per second.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// summarize sorts the latencies and returns the percentiles.
func (r *Recorder) summarize(name string, elapsed time.Duration) Result {
	r.mu.Lock()
	defer r.mu.Unlock()

	sorted := slices.Clone(r.latencies)
	slices.Sort(sorted)
	res := Result{Name: name, Requests: len(sorted), Elapsed: elapsed, Errors: map[int]int{}}
	res.P50, res.P99, res.P999 = percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999)
	for status, n := range r.statuses {
		if status < 200 || status > 299 {
			res.Errors[status] = n
		}
	}
	return res
}

// percentile returns the nearest-rank percentile of sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
