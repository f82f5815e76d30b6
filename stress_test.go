package mlx

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// Stress tests of the goroutine model: many goroutines, moving between OS
// threads, build and evaluate graphs on several streams at once. Every
// stream creation and synchronization, and every evaluation unless
// evalOnCaller, must happen on the MLX thread, and scoped defaults must stay
// with the goroutine that made them.

// threadLog records the hook's events.
type threadLog struct {
	mu     sync.Mutex
	events []threadEvent
}

type threadEvent struct {
	event string
	s     Stream
	tid   int
}

// installThreadLog sets the package's thread hook for the rest of the test.
func installThreadLog(t *testing.T) *threadLog {
	t.Helper()
	l := &threadLog{}
	SetThreadHook(func(event string, s Stream, tid int) {
		l.mu.Lock()
		l.events = append(l.events, threadEvent{event, s, tid})
		l.mu.Unlock()
	})
	t.Cleanup(func() { SetThreadHook(nil) })
	return l
}

func (l *threadLog) snapshot() []threadEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]threadEvent(nil), l.events...)
}

func (l *threadLog) count(event string) int {
	n := 0
	for _, e := range l.snapshot() {
		if e.event == event {
			n++
		}
	}
	return n
}

// of returns the events of one stream.
func (l *threadLog) of(event string, s Stream) []threadEvent {
	var out []threadEvent
	for _, e := range l.snapshot() {
		if e.event == event && e.s == s {
			out = append(out, e)
		}
	}
	return out
}

// atLeastTwoProcs makes sure goroutines really run in parallel.
func atLeastTwoProcs(t *testing.T) {
	if prev := runtime.GOMAXPROCS(0); prev < 2 {
		runtime.GOMAXPROCS(2)
		t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	}
}

var stressCPU = Device{Type: CPU}

// stressWork builds a small graph on `on` (nil: the caller's default),
// evaluates it one of three ways and checks the exact results; syncFn
// synchronizes the stream for the AsyncEval way.
func stressWork(on StreamOrDevice, syncFn func() error, w, r int, yield func()) error {
	x := FromSlice([]int32{int32(w), int32(r), int32(w * r)})
	y := ArangeOn(on, 1, 4, 1, Int32) // [1 2 3]
	yield()
	z := MultiplyOn(on, AddOn(on, x, y), Scalar[int32](2))
	total := SumOn(on, z, false) // 2*(w + r + w*r + 6)
	yield()
	m := FromSlice([]float32{float32(w), 1, 0.5, float32(r)}, 2, 2)
	f := MatmulOn(on, m, OnesOn(on, []int{2, 1}, Float32)) // [w+1, r+0.5]
	g := ReshapeOn(on, DivideOn(on, f, Scalar[float32](2)), 2)
	defer func() {
		for _, a := range []*Array{x, y, z, total, m, f, g} {
			a.Free()
		}
	}()
	switch (w + r) % 3 {
	case 0:
		if err := Eval(total, g); err != nil {
			return err
		}
	case 1:
		if err := AsyncEval(total, g); err != nil {
			return err
		}
		yield()
		if err := syncFn(); err != nil {
			return err
		}
	case 2: // reading the data evaluates
	}
	yield()
	gotTotal, err := Item[int32](total)
	if err != nil {
		return err
	}
	if want := int32(2 * (w + r + w*r + 6)); gotTotal != want {
		return fmt.Errorf("worker %d round %d: sum = %d, want %d", w, r, gotTotal, want)
	}
	gotG, err := Data[float32](g)
	if err != nil {
		return err
	}
	if want := []float32{float32(w+1) / 2, (float32(r) + 0.5) / 2}; len(gotG) != 2 || gotG[0] != want[0] || gotG[1] != want[1] {
		return fmt.Errorf("worker %d round %d: matmul/2 = %v, want %v", w, r, gotG, want)
	}
	return nil
}

// TestStressStreamsAcrossThreads runs with evaluations scheduled on the MLX
// thread, and, where MLX allows it (evalOnCaller), on the calling threads.
func TestStressStreamsAcrossThreads(t *testing.T) {
	modes := []bool{false}
	if evalOnCaller {
		modes = append(modes, true)
	}
	for _, onCaller := range modes {
		t.Run(fmt.Sprintf("evalOnCaller=%v", onCaller), func(t *testing.T) {
			prev := evalOnCaller
			evalOnCaller = onCaller
			t.Cleanup(func() { evalOnCaller = prev })
			stressStreamsAcrossThreads(t, onCaller)
		})
	}
}

func stressStreamsAcrossThreads(t *testing.T, evalsAnywhere bool) {
	atLeastTwoProcs(t)
	log := installThreadLog(t)
	owner := OwnerThreadID()
	if owner == 0 {
		t.Fatal("OwnerThreadID() = 0")
	}

	// Shared streams, each made by a different goroutine locked to its own
	// thread; other goroutines use them.
	const nShared = 6
	shared := make([]Stream, nShared)
	makerTID := make([]int, nShared)
	var wg sync.WaitGroup
	for i := range shared {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			makerTID[i] = CurrentThreadID()
			s, err := NewStream(stressCPU)
			if err != nil {
				t.Errorf("NewStream: %v", err)
				return
			}
			shared[i] = s
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for i, s := range shared {
		ev := log.of("new_stream", s)
		if len(ev) != 1 {
			t.Fatalf("%v: %d new_stream events, want 1", s, len(ev))
		}
		if ev[0].tid != owner || ev[0].tid == makerTID[i] {
			t.Errorf("%v made on thread %d; want the MLX thread %d, not its maker's %d", s, ev[0].tid, owner, makerTID[i])
		}
	}

	const workers, rounds = 64, 25
	var (
		lockedMu   sync.Mutex
		lockedTIDs = map[int]bool{}
		private    = make([]Stream, workers) // streams of the locked workers
		privateTID = make([]int, workers)
	)
	for _, tid := range makerTID {
		lockedTIDs[tid] = true
	}
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mode := w % 4 // 0: locked throughout; 1: lock/unlock churn; 2, 3: free
			var tid int
			if mode == 0 {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				tid = CurrentThreadID()
				lockedMu.Lock()
				lockedTIDs[tid] = true
				lockedMu.Unlock()
				s, err := NewStream(stressCPU)
				if err != nil {
					errs <- err
					return
				}
				private[w], privateTID[w] = s, tid
			}
			yield := runtime.Gosched
			for r := 0; r < rounds; r++ {
				if mode == 1 {
					runtime.LockOSThread()
					lockedMu.Lock()
					lockedTIDs[CurrentThreadID()] = true
					lockedMu.Unlock()
				}
				s := shared[(w+r)%nShared]
				if mode == 0 && r%2 == 0 {
					s = private[w]
				}
				var err error
				switch (w + 2*r) % 6 {
				case 0:
					err = stressWork(s, s.Synchronize, w, r, yield)
				case 1:
					err = stressWork(Device{Type: CPU}, Synchronize, w, r, yield)
				case 2:
					err = stressWork(CPU, Synchronize, w, r, yield)
				case 3:
					err = stressWork(nil, Synchronize, w, r, yield)
				case 4:
					err = WithStream(s, func() error {
						if got, _ := DefaultStream(stressCPU); got != s {
							return fmt.Errorf("worker %d: DefaultStream in scope = %v, want %v", w, got, s)
						}
						return stressWork(nil, Synchronize, w, r, yield)
					})
				case 5:
					err = WithStream(CPU, func() error {
						return WithStream(s, func() error { return stressWork(s, s.Synchronize, w, r, yield) })
					})
				}
				if mode == 1 {
					runtime.UnlockOSThread()
				}
				if err != nil {
					errs <- err
					return
				}
				runtime.Gosched()
				if mode == 0 && CurrentThreadID() != tid {
					errs <- fmt.Errorf("worker %d: locked goroutine moved from thread %d to %d", w, tid, CurrentThreadID())
					return
				}
			}
			if mode == 0 {
				if err := private[w].Synchronize(); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// Every event ran on the MLX thread, never on a thread that a calling
	// goroutine had locked; evaluations may run on the calling thread when
	// evalsAnywhere.
	events := log.snapshot()
	counts := map[string]int{}
	for _, e := range events {
		counts[e.event]++
		if evalsAnywhere && (e.event == "eval" || e.event == "async_eval") {
			continue
		}
		if e.tid != owner {
			t.Errorf("%s on %v ran on thread %d, not the MLX thread %d", e.event, e.s, e.tid, owner)
		}
		if lockedTIDs[e.tid] {
			t.Errorf("%s on %v ran on thread %d, which a calling goroutine had locked", e.event, e.s, e.tid)
		}
	}
	for _, ev := range []string{"new_stream", "eval", "async_eval", "synchronize"} {
		if counts[ev] == 0 {
			t.Errorf("no %s events recorded (events: %v)", ev, counts)
		}
	}
	// Each locked worker's own stream: made and synchronized on the MLX
	// thread, not on the worker's.
	for w, s := range private {
		if privateTID[w] == 0 {
			continue
		}
		for _, name := range []string{"new_stream", "synchronize"} {
			ev := log.of(name, s)
			if len(ev) == 0 {
				t.Errorf("worker %d: no %s event for its stream %v", w, name, s)
			}
			for _, e := range ev {
				if e.tid != owner || e.tid == privateTID[w] {
					t.Errorf("worker %d: %s of %v on thread %d; want MLX thread %d, not the worker's %d", w, name, s, e.tid, owner, privateTID[w])
				}
			}
		}
	}
	t.Logf("%d events: %v", len(events), counts)
}

// TestStressScopesDoNotLeak runs goroutines inside WithStream scopes while
// others, running at the same time, check that they still see the global
// defaults, and that no scope sees another's stream.
func TestStressScopesDoNotLeak(t *testing.T) {
	atLeastTwoProcs(t)
	global, err := DefaultStream(stressCPU)
	if err != nil {
		t.Fatal(err)
	}
	globalDev := DefaultDevice()
	streams := make([]Stream, 4)
	for i := range streams {
		if streams[i], err = NewStream(stressCPU); err != nil {
			t.Fatal(err)
		}
	}

	var (
		stop         = make(chan struct{})
		observations atomic.Int64
		scopedWG     sync.WaitGroup
		observerWG   sync.WaitGroup
		errs         = make(chan error, 64)
	)
	report := func(err error) {
		select {
		case errs <- err:
		default:
		}
	}
	for o := 0; o < 8; o++ {
		observerWG.Add(1)
		go func() {
			defer observerWG.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					if i < 10 {
						report(fmt.Errorf("observer %d made only %d observations", o, i))
					}
					return
				default:
				}
				if got, err := DefaultStream(stressCPU); err != nil || got != global {
					report(fmt.Errorf("observer %d: DefaultStream = %v, %v; want %v", o, got, err, global))
				}
				if got := DefaultDevice(); got != globalDev {
					report(fmt.Errorf("observer %d: DefaultDevice = %v, want %v", o, got, globalDev))
				}
				if i%8 == 0 {
					if v, err := Item[int32](Add(Scalar[int32](int32(i)), Scalar[int32](1))); err != nil || v != int32(i+1) {
						report(fmt.Errorf("observer %d: add = %d, %v; want %d", o, v, err, i+1))
					}
				}
				observations.Add(1)
				runtime.Gosched()
			}
		}()
	}
	for g := 0; g < 8; g++ {
		scopedWG.Add(1)
		go func() {
			defer scopedWG.Done()
			for r := 0; r < 100; r++ {
				s := streams[(g+r)%len(streams)]
				err := WithStream(s, func() error {
					for i := 0; i < 4; i++ {
						if got, _ := DefaultStream(stressCPU); got != s {
							return fmt.Errorf("scoped goroutine %d: DefaultStream = %v, want its scope's %v", g, got, s)
						}
						runtime.Gosched() // locked: comes back on the same thread
					}
					v, err := Item[int32](Multiply(Scalar[int32](int32(g)), Scalar[int32](int32(r))))
					if err == nil && v != int32(g*r) {
						err = fmt.Errorf("scoped goroutine %d: multiply = %d, want %d", g, v, g*r)
					}
					if err != nil {
						return err
					}
					return WithStream(CPU, func() error {
						if got, _ := DefaultStream(stressCPU); got != global {
							return fmt.Errorf("scoped goroutine %d: CPU scope's DefaultStream = %v, want %v", g, got, global)
						}
						return nil
					})
				})
				if err != nil {
					report(err)
					return
				}
				if got, _ := DefaultStream(stressCPU); got != global {
					report(fmt.Errorf("scoped goroutine %d: after its scope DefaultStream = %v, want %v", g, got, global))
				}
			}
		}()
	}
	scopedWG.Wait()
	close(stop)
	observerWG.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d observations while scopes ran", observations.Load())
}
