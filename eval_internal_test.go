package mlx

import "testing"

// TestReadingDataEvaluates checks, through the thread hook, when the package
// asks MLX to evaluate: building a graph never does, the first read (Data,
// Item, String, Eval) does exactly once, later reads do not.
func TestReadingDataEvaluates(t *testing.T) {
	log := installThreadLog(t)
	evals := func() int { return log.count("eval") + log.count("async_eval") }

	a := FromSlice([]float32{1, 2, 3})
	b := FromSlice([]float32{10, 20, 30})
	if _, err := Data[float32](a); err != nil {
		t.Fatal(err)
	}
	if n := evals(); n != 0 {
		t.Errorf("reading an array made from Go data evaluated %d times, want 0", n)
	}

	c := Multiply(Add(a, b), Scalar[float32](2))
	d := Sum(c, false)
	if n := evals(); n != 0 {
		t.Fatalf("building a graph evaluated %d times, want 0", n)
	}
	got, err := Data[float32](c)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{22, 44, 66}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("Data = %v, want %v", got, want)
	}
	if n := log.count("eval"); n != 1 {
		t.Errorf("first Data: %d evaluations, want 1", n)
	}
	_, _ = Data[float32](c)
	_ = Eval(c)
	_ = c.String()
	if n := evals(); n != 1 {
		t.Errorf("reads of an evaluated array evaluated again: %d evaluations, want 1", n)
	}

	// d depends on c, which is done: one more evaluation, for d alone.
	if v, err := Item[float32](d); err != nil || v != 132 {
		t.Fatalf("Item = %v, %v; want 132", v, err)
	}
	if n := evals(); n != 2 {
		t.Errorf("after Item: %d evaluations, want 2", n)
	}

	// AsyncEval schedules; once the stream is synchronized, reading needs
	// no further evaluation.
	e := Add(d, d)
	if err := AsyncEval(e); err != nil {
		t.Fatal(err)
	}
	if n := log.count("async_eval"); n != 1 {
		t.Errorf("AsyncEval: %d async evaluations, want 1", n)
	}
	if err := Synchronize(); err != nil {
		t.Fatal(err)
	}
	if v, err := Item[float32](e); err != nil || v != 264 {
		t.Fatalf("Item = %v, %v; want 264", v, err)
	}
	if n := evals(); n != 3 {
		t.Errorf("reading after AsyncEval and Synchronize: %d evaluations, want 3", n)
	}

	// Every evaluation ran on the MLX thread, or, where MLX lets any thread
	// evaluate CPU streams, on the calling one.
	for _, ev := range log.snapshot() {
		if evalOnCaller && (ev.event == "eval" || ev.event == "async_eval") {
			continue
		}
		if ev.tid != OwnerThreadID() {
			t.Errorf("%s ran on thread %d, not the MLX thread %d", ev.event, ev.tid, OwnerThreadID())
		}
	}
}

// TestNonContiguousReadsCopy makes sure the arrays of the black-box test
// TestDataNonContiguous really are not row-contiguous, so that it covers the
// copy Data makes of them.
func TestNonContiguousReadsCopy(t *testing.T) {
	x := FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3)
	tests := []struct {
		name string
		a    *Array
		copy bool
	}{
		{"row-major", x, false},
		{"reshape", Reshape(x, 3, 2), false},
		{"transpose", Transpose(x), true},
		{"transpose times scalar", Multiply(Transpose(x), Scalar[int32](10)), true},
		{"broadcast", BroadcastTo(FromSlice([]float32{1, 2, 3}), 2, 3), true},
	}
	for _, tt := range tests {
		c, copied, err := tt.a.contiguous()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if copied != tt.copy {
			t.Errorf("%s: copied = %v, want %v", tt.name, copied, tt.copy)
		}
		if copied {
			c.Free()
		}
	}
}
