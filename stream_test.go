package mlx_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/mlx-go/mlx"
)

// globalStream returns the global default stream of the CPU.
func globalStream(t *testing.T) mlx.Stream {
	t.Helper()
	s, err := mlx.DefaultStream(cpu0)
	if err != nil {
		t.Fatalf("DefaultStream(cpu): %v", err)
	}
	return s
}

func newStream(t *testing.T, d mlx.Device) mlx.Stream {
	t.Helper()
	s, err := mlx.NewStream(d)
	if err != nil {
		t.Fatalf("NewStream(%v): %v", d, err)
	}
	return s
}

// checkDefaults fails t unless the calling goroutine sees the given default
// stream of the CPU and the CPU as its default device.
func checkDefaults(t *testing.T, where string, want mlx.Stream) {
	t.Helper()
	if got, err := mlx.DefaultStream(cpu0); err != nil || got != want {
		t.Errorf("%s: DefaultStream(cpu) = %v, %v; want %v", where, got, err, want)
	}
	if got := mlx.DefaultDevice(); got != want.Device {
		t.Errorf("%s: DefaultDevice() = %v, want %v", where, got, want.Device)
	}
}

func TestStreamString(t *testing.T) {
	tests := []struct {
		s    mlx.Stream
		want string
	}{
		{mlx.Stream{Device: cpu0, Index: 0}, "Stream(Device(cpu, 0), 0)"},
		{mlx.Stream{Device: cpu0, Index: 12}, "Stream(Device(cpu, 0), 12)"},
		{mlx.Stream{Device: mlx.Device{Type: mlx.GPU, Index: 1}, Index: 3}, "Stream(Device(gpu, 1), 3)"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestNewStream(t *testing.T) {
	onCPU(t) // these check the CPU's defaults (checkDefaults)
	def := globalStream(t)
	s1 := newStream(t, cpu0)
	s2 := newStream(t, mlx.Device{Type: mlx.CPU})
	if s1.Device != cpu0 || s2.Device != cpu0 {
		t.Errorf("streams on %v, %v; want %v", s1.Device, s2.Device, cpu0)
	}
	if s1 == s2 || s1 == def || s2 == def {
		t.Errorf("new streams %v, %v are not distinct from each other and the default %v", s1, s2, def)
	}
	// MLX numbers streams in the order it makes them.
	if !(s2.Index > s1.Index && s1.Index > def.Index) {
		t.Errorf("indices %d, %d, %d: want increasing", def.Index, s1.Index, s2.Index)
	}
	if got, want := s1.String(), fmt.Sprintf("Stream(Device(cpu, 0), %d)", s1.Index); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	// A new stream does not become the default.
	checkDefaults(t, "after NewStream", def)
}

func TestNewStreamErrors(t *testing.T) {
	tests := []struct {
		d   mlx.Device
		msg string
	}{
		{cpu1, "Device(cpu, 1): device index out of range (1 cpu device(s))"},
		{mlx.Device{Type: mlx.DeviceType(4)}, "invalid device type 4"},
	}
	if mlx.DeviceCount(mlx.GPU) == 0 {
		tests = append(tests, struct {
			d   mlx.Device
			msg string
		}{gpu0, "Device(gpu, 0): this MLX has no gpu backend"})
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			s, err := mlx.NewStream(tt.d)
			checkError(t, err, "new_stream", tt.msg, mlx.ErrInvalidArgument)
			if s != (mlx.Stream{}) {
				t.Errorf("NewStream returned %v with its error", s)
			}
			_, err = mlx.DefaultStream(tt.d)
			checkError(t, err, "default_stream", tt.msg, mlx.ErrInvalidArgument)
		})
	}
}

func TestDefaultStream(t *testing.T) {
	s := globalStream(t)
	if s.Device != cpu0 {
		t.Errorf("DefaultStream(cpu).Device = %v, want %v", s.Device, cpu0)
	}
	if again := globalStream(t); again != s {
		t.Errorf("DefaultStream changed between calls: %v, %v", s, again)
	}
	// The default stream is a usable stream like any other.
	checkArray(t, mlx.AddOn(s, mlx.Scalar(2), mlx.Scalar(3)), mlx.Int32, nil, []int32{5})
	if err := s.Synchronize(); err != nil {
		t.Errorf("Synchronize: %v", err)
	}
}

func TestSetDefaultStream(t *testing.T) {
	onCPU(t) // these check the CPU's defaults (checkDefaults)
	def := globalStream(t)
	s := newStream(t, cpu0)
	if err := mlx.SetDefaultStream(s); err != nil {
		t.Fatalf("SetDefaultStream(%v) = %v", s, err)
	}
	restored := false
	defer func() {
		if !restored {
			_ = mlx.SetDefaultStream(def)
		}
	}()
	checkDefaults(t, "after SetDefaultStream", s)
	// Ops without a stream run on it and still compute the right thing,
	// mixing in arrays made on the previous default.
	x := mlx.Arange(0, 4, 1, mlx.Float32)
	checkArray(t, mlx.Multiply(x, x), mlx.Float32, []int{4}, []float32{0, 1, 4, 9})
	if err := mlx.Synchronize(); err != nil {
		t.Errorf("Synchronize: %v", err)
	}
	// Seen from another goroutine too: it is the global default.
	done := make(chan mlx.Stream)
	go func() {
		got, _ := mlx.DefaultStream(cpu0)
		done <- got
	}()
	if got := <-done; got != s {
		t.Errorf("another goroutine sees %v, want %v", got, s)
	}

	if err := mlx.SetDefaultStream(def); err != nil {
		t.Fatalf("restoring %v: %v", def, err)
	}
	restored = true
	checkDefaults(t, "after restoring", def)
}

// unknownStreams are Stream values that name no stream MLX made.
func unknownStreams() []mlx.Stream {
	return []mlx.Stream{
		{Device: cpu0, Index: 1 << 20},
		{Device: cpu0, Index: -1},
		{Device: cpu1, Index: 0},
		{Device: gpu0, Index: 1 << 21}, // index 0 is a GPU's default stream where MLX has a GPU
	}
}

func unknownMsg(s mlx.Stream) string {
	return "unknown stream " + s.String() + ": make streams with NewStream or DefaultStream"
}

func TestUnknownStreams(t *testing.T) {
	onCPU(t) // these check the CPU's defaults (checkDefaults)
	def := globalStream(t)
	for _, s := range unknownStreams() {
		t.Run(s.String(), func(t *testing.T) {
			checkError(t, mlx.SetDefaultStream(s), "set_default_stream", unknownMsg(s), mlx.ErrInvalidArgument)
			checkDefaults(t, "after a failed SetDefaultStream", def)
			checkError(t, s.Synchronize(), "synchronize", unknownMsg(s), mlx.ErrInvalidArgument)
			checkError(t, mlx.AddOn(s, mlx.Scalar(1), mlx.Scalar(2)).Err(), "add", unknownMsg(s), mlx.ErrInvalidArgument)
			checkError(t, mlx.ZerosOn(s, []int{1}, mlx.Float32).Err(), "zeros", unknownMsg(s), mlx.ErrInvalidArgument)
			called := false
			err := mlx.WithStream(s, func() error { called = true; return nil })
			checkError(t, err, "stream", unknownMsg(s), mlx.ErrInvalidArgument)
			if called {
				t.Error("WithStream ran fn for an unknown stream")
			}
		})
	}
}

func TestSynchronize(t *testing.T) {
	s := newStream(t, cpu0)
	a := mlx.OnesOn(s, []int{128, 128}, mlx.Float32)
	b := mlx.MatmulOn(s, a, a)
	total := mlx.SumOn(s, b, false)
	if err := mlx.AsyncEval(total); err != nil {
		t.Fatal(err)
	}
	if err := s.Synchronize(); err != nil {
		t.Fatalf("Synchronize(%v): %v", s, err)
	}
	if err := s.Synchronize(); err != nil { // nothing left to wait for
		t.Fatalf("second Synchronize: %v", err)
	}
	checkArray(t, total, mlx.Float32, nil, []float32{128 * 128 * 128})

	// The default stream, directly and through the package function.
	x := mlx.Add(mlx.Scalar[float32](1), mlx.Scalar[float32](2))
	if err := mlx.AsyncEval(x); err != nil {
		t.Fatal(err)
	}
	if err := mlx.Synchronize(); err != nil {
		t.Fatalf("Synchronize(): %v", err)
	}
	if err := globalStream(t).Synchronize(); err != nil {
		t.Fatalf("default stream Synchronize: %v", err)
	}
	checkArray(t, x, mlx.Float32, nil, []float32{3})
}

// TestOpsOn runs every op on each kind of StreamOrDevice.
func TestOpsOn(t *testing.T) {
	onCPU(t) // float64, CPU-only ops or exact float32 checks (gpu_helpers_test.go)
	s := newStream(t, cpu0)
	targets := []struct {
		name string
		on   mlx.StreamOrDevice
	}{
		{"nil", nil},
		{"DeviceType", mlx.CPU},
		{"Device", cpu0},
		{"default stream", globalStream(t)},
		{"new stream", s},
	}
	a := mlx.FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	b := mlx.FromSlice([]float32{4, 3, 2, 1}, 2, 2)
	for _, tt := range targets {
		t.Run(tt.name, func(t *testing.T) {
			on := tt.on
			checkArray(t, mlx.AddOn(on, a, b), mlx.Float32, []int{2, 2}, []float32{5, 5, 5, 5})
			checkArray(t, mlx.SubtractOn(on, a, b), mlx.Float32, []int{2, 2}, []float32{-3, -1, 1, 3})
			checkArray(t, mlx.MultiplyOn(on, a, b), mlx.Float32, []int{2, 2}, []float32{4, 6, 6, 4})
			checkArray(t, mlx.DivideOn(on, a, b), mlx.Float32, []int{2, 2}, []float32{0.25, 2.0 / 3, 1.5, 4})
			checkArray(t, mlx.MatmulOn(on, a, b), mlx.Float32, []int{2, 2}, []float32{8, 5, 20, 13})
			checkArray(t, mlx.ReshapeOn(on, a, 4), mlx.Float32, []int{4}, []float32{1, 2, 3, 4})
			checkArray(t, mlx.SumOn(on, a, false), mlx.Float32, nil, []float32{10})
			checkArray(t, mlx.AsTypeOn(on, a, mlx.Int64), mlx.Int64, []int{2, 2}, []int64{1, 2, 3, 4})
			checkArray(t, mlx.ArangeOn(on, 1, 4, 1, mlx.Int32), mlx.Int32, []int{3}, []int32{1, 2, 3})
			checkArray(t, mlx.ZerosOn(on, []int{2}, mlx.Uint8), mlx.Uint8, []int{2}, []uint8{0, 0})
			checkArray(t, mlx.OnesOn(on, []int{1, 2}, mlx.Float64), mlx.Float64, []int{1, 2}, []float64{1, 1})
		})
	}
}

func TestOpsOnUnavailableDevice(t *testing.T) {
	x := mlx.FromSlice([]float32{1, 2})
	type target struct {
		on  mlx.StreamOrDevice
		msg string
	}
	targets := []target{
		{cpu1, "Device(cpu, 1): device index out of range (1 cpu device(s))"},
		{mlx.DeviceType(3), "invalid device type 3"},
	}
	if mlx.DeviceCount(mlx.GPU) == 0 {
		targets = append(targets,
			target{mlx.GPU, "Device(gpu, 0): this MLX has no gpu backend"},
			target{gpu0, "Device(gpu, 0): this MLX has no gpu backend"})
	}
	for _, tg := range targets {
		t.Run(fmt.Sprint(tg.on), func(t *testing.T) {
			ops := []struct {
				op  string
				got *mlx.Array
			}{
				{"add", mlx.AddOn(tg.on, x, x)},
				{"subtract", mlx.SubtractOn(tg.on, x, x)},
				{"multiply", mlx.MultiplyOn(tg.on, x, x)},
				{"divide", mlx.DivideOn(tg.on, x, x)},
				{"matmul", mlx.MatmulOn(tg.on, x, x)},
				{"reshape", mlx.ReshapeOn(tg.on, x, 2, 1)},
				{"sum", mlx.SumOn(tg.on, x, false)},
				{"astype", mlx.AsTypeOn(tg.on, x, mlx.Int32)},
				{"arange", mlx.ArangeOn(tg.on, 0, 2, 1, mlx.Float32)},
				{"zeros", mlx.ZerosOn(tg.on, []int{2}, mlx.Float32)},
				{"ones", mlx.OnesOn(tg.on, []int{2}, mlx.Float32)},
			}
			for _, o := range ops {
				checkError(t, o.got.Err(), o.op, tg.msg, mlx.ErrInvalidArgument)
			}
			err := mlx.WithStream(tg.on, func() error { t.Error("fn ran"); return nil })
			checkError(t, err, "stream", tg.msg, mlx.ErrInvalidArgument)
		})
	}
	// Nothing changed.
	checkArray(t, mlx.Add(x, x), mlx.Float32, []int{2}, []float32{2, 4})
}

// TestCrossStreamDependency: an op on one stream that consumes the result of
// an op on another waits for it (MLX inserts the dependency).
func TestCrossStreamDependency(t *testing.T) {
	s1, s2 := newStream(t, cpu0), newStream(t, cpu0)
	a := mlx.FromSlice([]float32{1, 2, 3})
	b := mlx.FromSlice([]float32{10, 20, 30})
	c := mlx.AddOn(s1, a, b)      // [11 22 33]
	d := mlx.AddOn(s2, a, c)      // [12 24 36]
	e := mlx.MultiplyOn(s1, d, d) // back on s1
	checkArray(t, e, mlx.Float32, []int{3}, []float32{144, 576, 1296})
	checkArray(t, c, mlx.Float32, []int{3}, []float32{11, 22, 33})
}

func TestWithStream(t *testing.T) {
	onCPU(t) // these check the CPU's defaults (checkDefaults)
	def := globalStream(t)
	s1, s2 := newStream(t, cpu0), newStream(t, cpu0)

	t.Run("default inside, restored after", func(t *testing.T) {
		ran := false
		err := mlx.WithStream(s1, func() error {
			ran = true
			checkDefaults(t, "inside", s1)
			checkArray(t, mlx.Add(mlx.Scalar(20), mlx.Scalar(22)), mlx.Int32, nil, []int32{42})
			return mlx.Synchronize()
		})
		if err != nil || !ran {
			t.Fatalf("WithStream = %v, ran = %v", err, ran)
		}
		checkDefaults(t, "after", def)
	})

	t.Run("device scope", func(t *testing.T) {
		err := mlx.WithStream(mlx.CPU, func() error {
			checkDefaults(t, "inside CPU scope", def)
			return mlx.WithStream(cpu0, func() error {
				checkDefaults(t, "inside Device scope", def)
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("returns fn's error", func(t *testing.T) {
		want := errors.New("from fn")
		if err := mlx.WithStream(s1, func() error { return want }); err != want {
			t.Errorf("WithStream = %v, want fn's error %v", err, want)
		}
		checkDefaults(t, "after an error", def)
	})

	t.Run("restored after panic", func(t *testing.T) {
		var recovered any
		func() {
			defer func() { recovered = recover() }()
			_ = mlx.WithStream(s1, func() error { panic("boom") })
		}()
		if recovered != "boom" {
			t.Errorf("recovered %v, want boom", recovered)
		}
		checkDefaults(t, "after panic", def)
		// And scopes still work afterwards.
		_ = mlx.WithStream(s2, func() error { checkDefaults(t, "next scope", s2); return nil })
		checkDefaults(t, "after the next scope", def)
	})

	t.Run("nesting", func(t *testing.T) {
		err := mlx.WithStream(s1, func() error {
			checkDefaults(t, "outer", s1)
			err := mlx.WithStream(s2, func() error {
				checkDefaults(t, "inner", s2)
				return mlx.WithStream(mlx.CPU, func() error {
					checkDefaults(t, "innermost (CPU device)", def)
					return nil
				})
			})
			checkDefaults(t, "outer again", s1)
			func() {
				defer func() { _ = recover() }()
				_ = mlx.WithStream(s2, func() error { panic("inner") })
			}()
			checkDefaults(t, "outer after inner panic", s1)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		checkDefaults(t, "after nesting", def)
	})

	t.Run("goroutines started inside do not inherit", func(t *testing.T) {
		err := mlx.WithStream(s1, func() error {
			var wg sync.WaitGroup
			for i := 0; i < 4; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					checkDefaults(t, "goroutine started in scope", def)
					checkArray(t, mlx.Multiply(mlx.Scalar(i), mlx.Scalar(3)), mlx.Int32, nil, []int32{int32(3 * i)})
				}()
			}
			wg.Wait()
			checkDefaults(t, "scope after goroutines", s1)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("SetDefaultStream inside a scope", func(t *testing.T) {
		// The scope wins inside; the new global default shows after it.
		err := mlx.WithStream(s1, func() error {
			if err := mlx.SetDefaultStream(s2); err != nil {
				return err
			}
			checkDefaults(t, "scope after SetDefaultStream", s1)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		checkDefaults(t, "after scope", s2)
		if err := mlx.SetDefaultStream(def); err != nil {
			t.Fatal(err)
		}
		checkDefaults(t, "restored", def)
	})

	t.Run("nil", func(t *testing.T) {
		err := mlx.WithStream(nil, func() error { t.Error("fn ran"); return nil })
		checkError(t, err, "stream", "nil stream or device", mlx.ErrInvalidArgument)
	})
}
