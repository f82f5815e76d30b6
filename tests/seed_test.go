// Package tests uses package mlx as a program would, from outside: MLX's
// devices-and-streams guide end to end (Python's mlx/python/tests/test_device.py
// and the "Using Streams" and "Unified Memory" guides), on whatever devices
// the installed MLX has.
package tests

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mlx-go/mlx"
)

var (
	cpu = mlx.Device{Type: mlx.CPU}
	gpu = mlx.Device{Type: mlx.GPU}
)

func hasGPU() bool { return mlx.DeviceCount(mlx.GPU) > 0 }

func data(t *testing.T, a *mlx.Array) []float32 {
	t.Helper()
	v, err := mlx.Data[float32](a)
	if err != nil {
		t.Fatalf("Data: %v", err)
	}
	return v
}

func item(t *testing.T, a *mlx.Array) float32 {
	t.Helper()
	v, err := mlx.Item[float32](a)
	if err != nil {
		t.Fatalf("Item: %v", err)
	}
	return v
}

func wantInvalid(t *testing.T, err error, op string) {
	t.Helper()
	var e *mlx.Error
	if !errors.As(err, &e) || e.Op != op || !errors.Is(err, mlx.ErrInvalidArgument) {
		t.Errorf("error = %v, want an *mlx.Error of %s wrapping ErrInvalidArgument", err, op)
	}
}

func TestPackageIsUsable(t *testing.T) {
	if err := mlx.Check(); err != nil {
		t.Fatal(err)
	}
}

// test_mlx_default_device: the GPU where MLX has one, else the CPU, and then
// the GPU cannot be made the default.
func TestDefaultDevice(t *testing.T) {
	d := mlx.DefaultDevice()
	if hasGPU() {
		if d != gpu || d.String() != "Device(gpu, 0)" {
			t.Errorf("DefaultDevice() = %v, want Device(gpu, 0)", d)
		}
		return
	}
	if d != cpu {
		t.Errorf("DefaultDevice() = %v, want %v", d, cpu)
	}
	if err := mlx.SetDefaultDevice(gpu); err == nil {
		t.Error("SetDefaultDevice(gpu) succeeded without a GPU backend")
	} else {
		wantInvalid(t, err, "set_default_device")
	}
	if got := mlx.DefaultDevice(); got != d {
		t.Errorf("a failed SetDefaultDevice changed the default to %v", got)
	}
}

// test_device: set the CPU as default, then restore.
func TestSetDefaultDeviceAndRestore(t *testing.T) {
	prev := mlx.DefaultDevice()
	if err := mlx.SetDefaultDevice(cpu); err != nil {
		t.Fatal(err)
	}
	if got := mlx.DefaultDevice(); got != cpu || got.String() != "Device(cpu, 0)" {
		t.Errorf("DefaultDevice() = %v, want Device(cpu, 0)", got)
	}
	if err := mlx.SetDefaultDevice(prev); err != nil {
		t.Fatal(err)
	}
	if got := mlx.DefaultDevice(); got != prev {
		t.Errorf("DefaultDevice() = %v after restoring %v", got, prev)
	}
}

// test_device_context: inside a scope the scoped device is the default; after
// it the previous one is back.
func TestDeviceContext(t *testing.T) {
	def := mlx.DefaultDevice()
	// The other device; without a GPU, another stream of the CPU.
	var scope mlx.StreamOrDevice
	want := cpu
	switch {
	case hasGPU() && def == gpu:
		scope = cpu
	case hasGPU():
		scope, want = gpu, gpu
	default:
		s, err := mlx.NewStream(cpu)
		if err != nil {
			t.Fatal(err)
		}
		scope = s
	}
	err := mlx.WithStream(scope, func() error {
		a := mlx.Add(mlx.Zeros([]int{2, 2}, mlx.Float32), mlx.Ones([]int{2, 2}, mlx.Float32))
		if err := mlx.Eval(a); err != nil {
			return err
		}
		if diff := cmp.Diff([]float32{1, 1, 1, 1}, data(t, a)); diff != "" {
			t.Errorf("zeros + ones (-want +got):\n%s", diff)
		}
		if got := mlx.DefaultDevice(); got != want {
			t.Errorf("DefaultDevice() in scope = %v, want %v", got, want)
		}
		if s, ok := scope.(mlx.Stream); ok {
			if got, _ := mlx.DefaultStream(cpu); got != s {
				t.Errorf("DefaultStream(cpu) in scope = %v, want %v", got, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := mlx.DefaultDevice(); got != def {
		t.Errorf("DefaultDevice() after scope = %v, want %v", got, def)
	}
}

// test_op_on_device: stream=None, the default device, mx.cpu (and mx.gpu).
func TestOpOnDevice(t *testing.T) {
	x, y := mlx.Scalar[float32](1), mlx.Scalar[float32](1)
	a := item(t, mlx.AddOn(nil, x, y))
	if a != 2 {
		t.Fatalf("1 + 1 = %v", a)
	}
	targets := []mlx.StreamOrDevice{mlx.DefaultDevice(), mlx.CPU, cpu}
	if hasGPU() {
		targets = append(targets, mlx.GPU)
	}
	for _, on := range targets {
		if b := item(t, mlx.AddOn(on, x, y)); b != a {
			t.Errorf("add on %v = %v, want %v", on, b, a)
		}
	}
	if !hasGPU() {
		wantInvalid(t, mlx.AddOn(mlx.GPU, x, y).Err(), "add")
	}
}

// test_stream: default and new streams, on the CPU and the GPU.
func TestStreams(t *testing.T) {
	s1, err := mlx.DefaultStream(mlx.DefaultDevice())
	if err != nil {
		t.Fatal(err)
	}
	if s1.Device != mlx.DefaultDevice() {
		t.Errorf("default stream on %v, want %v", s1.Device, mlx.DefaultDevice())
	}
	s2, err := mlx.NewStream(mlx.DefaultDevice())
	if err != nil {
		t.Fatal(err)
	}
	if s2.Device != mlx.DefaultDevice() || s1 == s2 {
		t.Errorf("new stream %v: want another stream on %v than %v", s2, mlx.DefaultDevice(), s1)
	}

	if hasGPU() {
		if s, err := mlx.DefaultStream(gpu); err != nil || s.Device != gpu {
			t.Errorf("DefaultStream(gpu) = %v, %v", s, err)
		}
		if s, err := mlx.NewStream(gpu); err != nil || s.Device != gpu {
			t.Errorf("NewStream(gpu) = %v, %v", s, err)
		}
	} else {
		_, err := mlx.DefaultStream(gpu)
		wantInvalid(t, err, "default_stream")
		_, err = mlx.NewStream(gpu)
		wantInvalid(t, err, "new_stream")
	}

	sCPU, err := mlx.DefaultStream(cpu)
	if err != nil || sCPU.Device != cpu {
		t.Errorf("DefaultStream(cpu) = %v, %v", sCPU, err)
	}
	sCPU, err = mlx.NewStream(cpu)
	if err != nil || sCPU.Device != cpu {
		t.Errorf("NewStream(cpu) = %v, %v", sCPU, err)
	}
}

// test_op_on_stream: the same add on every kind of stream.
func TestOpOnStream(t *testing.T) {
	x, y := mlx.Scalar[float32](1), mlx.Scalar[float32](1)
	def, err := mlx.DefaultStream(mlx.DefaultDevice())
	if err != nil {
		t.Fatal(err)
	}
	a := item(t, mlx.AddOn(def, x, y))
	var streams []mlx.Stream
	for _, d := range []mlx.Device{cpu, gpu} {
		if d == gpu && !hasGPU() {
			continue
		}
		ds, err := mlx.DefaultStream(d)
		if err != nil {
			t.Fatal(err)
		}
		ns, err := mlx.NewStream(d)
		if err != nil {
			t.Fatal(err)
		}
		streams = append(streams, ds, ns)
	}
	for _, s := range streams {
		if b := item(t, mlx.AddOn(s, x, y)); b != a {
			t.Errorf("add on %v = %v, want %v", s, b, a)
		}
	}
}

// test_device_count and test_device_info_*.
func TestDeviceInfo(t *testing.T) {
	if n := mlx.DeviceCount(mlx.CPU); n != 1 {
		t.Errorf("DeviceCount(cpu) = %d, want 1", n)
	}
	if n := mlx.DeviceCount(mlx.GPU); n < 0 {
		t.Errorf("DeviceCount(gpu) = %d", n)
	}
	devices := []mlx.Device{cpu}
	for i := 0; i < mlx.DeviceCount(mlx.GPU); i++ {
		devices = append(devices, mlx.Device{Type: mlx.GPU, Index: i})
	}
	for _, d := range devices {
		info, err := d.Info()
		if err != nil {
			t.Fatalf("%v.Info(): %v", d, err)
		}
		if name, ok := info.String("device_name"); !ok || name == "" {
			t.Errorf("%v: device_name = %#v", d, info["device_name"])
		}
		if _, ok := info["architecture"]; !ok {
			t.Errorf("%v: no architecture in %v", d, info)
		}
	}
	// The default device's info.
	if info, err := mlx.DefaultDevice().Info(); err != nil {
		t.Error(err)
	} else if _, ok := info["device_name"]; !ok {
		t.Errorf("default device: no device_name in %v", info)
	}
}

// "Unified Memory": the same inputs on two devices (or, without a GPU, two
// CPU streams) with no dependency, then one that depends on the other.
func TestUnifiedMemory(t *testing.T) {
	var other mlx.StreamOrDevice = mlx.GPU
	if !hasGPU() {
		s, err := mlx.NewStream(cpu)
		if err != nil {
			t.Fatal(err)
		}
		other = s
	}
	a := mlx.FromSlice([]float32{1, 2, 3, 4})
	b := mlx.FromSlice([]float32{0.5, 0.5, 0.5, 0.5})

	x, y := mlx.AddOn(mlx.CPU, a, b), mlx.AddOn(other, a, b)
	if err := mlx.Eval(x, y); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(data(t, x), data(t, y)); diff != "" {
		t.Errorf("the same add on two streams differs:\n%s", diff)
	}

	c := mlx.AddOn(mlx.CPU, a, b) // [1.5 2.5 3.5 4.5]
	d := mlx.AddOn(other, a, c)   // waits for c: [2.5 4.5 6.5 8.5]
	if diff := cmp.Diff([]float32{2.5, 4.5, 6.5, 8.5}, data(t, d)); diff != "" {
		t.Errorf("dependent add (-want +got):\n%s", diff)
	}

	// "A simple example": a matmul on one stream, a chain of small ops on
	// another, both at once.
	fun := func(a, b *mlx.Array, d1, d2 mlx.StreamOrDevice) (*mlx.Array, *mlx.Array) {
		x := mlx.MatmulOn(d1, a, b)
		for i := 0; i < 50; i++ {
			b = mlx.AddOn(d2, b, mlx.Scalar[float32](1))
		}
		return x, b
	}
	m := mlx.Ones([]int{64, 32}, mlx.Float32)
	n := mlx.Ones([]int{32, 4}, mlx.Float32)
	xm, bn := fun(m, n, other, mlx.CPU)
	if err := mlx.Eval(xm, bn); err != nil {
		t.Fatal(err)
	}
	if s := item(t, mlx.Sum(xm, false)); s != 64*4*32 {
		t.Errorf("sum(matmul) = %v, want %v", s, 64*4*32)
	}
	if s := item(t, mlx.Sum(bn, false)); s != 32*4*51 {
		t.Errorf("sum(b + 50) = %v, want %v", s, 32*4*51)
	}
}

// "Using Streams": no stream means the default stream of the default device,
// which SetDefaultStream changes and Synchronize waits for.
func TestUsingStreams(t *testing.T) {
	dev := mlx.DefaultDevice()
	prev, err := mlx.DefaultStream(dev)
	if err != nil {
		t.Fatal(err)
	}
	s, err := mlx.NewStream(dev)
	if err != nil {
		t.Fatal(err)
	}
	if err := mlx.SetDefaultStream(s); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := mlx.SetDefaultStream(prev); err != nil {
			t.Error(err)
		}
	}()
	if got, _ := mlx.DefaultStream(mlx.DefaultDevice()); got != s {
		t.Errorf("default stream = %v, want %v", got, s)
	}
	r := mlx.Divide(mlx.Arange(1, 5, 1, mlx.Float32), mlx.Scalar[float32](4))
	if err := mlx.AsyncEval(r); err != nil {
		t.Fatal(err)
	}
	if err := mlx.Synchronize(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]float32{0.25, 0.5, 0.75, 1}, data(t, r)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
