package mlx_test

import (
	"fmt"
	"log"

	"github.com/mlx-go/mlx"
)

// The outputs below are those of an MLX without a GPU backend (Linux CPU
// builds), where the CPU is the default device.

func ExampleDevice() {
	cpu := mlx.Device{Type: mlx.CPU} // like Python's mx.Device(mx.cpu)
	fmt.Println(cpu)
	fmt.Println(cpu == mlx.Device{Type: mlx.CPU, Index: 0})
	fmt.Println(cpu.IsAvailable())

	info, err := cpu.Info()
	if err != nil {
		log.Fatal(err)
	}
	_, ok := info.String("device_name")
	fmt.Println("has a device_name:", ok)
	// Output:
	// Device(cpu, 0)
	// true
	// true
	// has a device_name: true
}

// MLX has one CPU device, and as many GPUs as its backend finds: none
// without a GPU backend, one per card with CUDA, one on Apple silicon.
func ExampleDeviceCount() {
	fmt.Println("cpu:", mlx.DeviceCount(mlx.CPU))
	gpus := mlx.DeviceCount(mlx.GPU)
	for i := 0; i < gpus; i++ {
		d := mlx.Device{Type: mlx.GPU, Index: i}
		if !d.IsAvailable() {
			log.Fatalf("%v is counted but not available", d)
		}
	}
	fmt.Println("every counted GPU is available")
	// Output:
	// cpu: 1
	// every counted GPU is available
}

// MLX starts on the GPU where it has one, else on the CPU.
func ExampleDefaultDevice() {
	want := mlx.Device{Type: mlx.CPU}
	if mlx.DeviceCount(mlx.GPU) > 0 {
		want = mlx.Device{Type: mlx.GPU}
	}
	fmt.Println(mlx.DefaultDevice() == want)
	// Output: true
}

func ExampleSetDefaultDevice() {
	prev := mlx.DefaultDevice()
	defer mlx.SetDefaultDevice(prev) //nolint:errcheck // prev was valid
	if err := mlx.SetDefaultDevice(mlx.Device{Type: mlx.CPU}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(mlx.DefaultDevice())

	// A device MLX does not have fails and changes nothing (so does the GPU
	// where MLX has no GPU backend).
	err := mlx.SetDefaultDevice(mlx.Device{Type: mlx.CPU, Index: 1})
	fmt.Println(err)
	fmt.Println(mlx.DefaultDevice())
	// Output:
	// Device(cpu, 0)
	// mlx: set_default_device: Device(cpu, 1): device index out of range (1 cpu device(s))
	// Device(cpu, 0)
}

func ExampleStream() {
	def, err := mlx.DefaultStream(mlx.DefaultDevice())
	if err != nil {
		log.Fatal(err)
	}
	s, err := mlx.NewStream(mlx.DefaultDevice())
	if err != nil {
		log.Fatal(err)
	}
	// Streams are values: compare them with ==.
	fmt.Println(s.Device == def.Device, s == def)
	// Output: true false
}

func ExampleNewStream() {
	s, err := mlx.NewStream(mlx.Device{Type: mlx.CPU})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Device)

	a := mlx.FromSlice([]int{1, 2, 3})
	b := mlx.FromSlice([]int{10, 20, 30})
	fmt.Println(mlx.AddOn(s, a, b))
	// Output:
	// Device(cpu, 0)
	// array([11, 22, 33], dtype=int32)
}

func ExampleDefaultStream() {
	s, err := mlx.DefaultStream(mlx.Device{Type: mlx.CPU})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Device)
	// Output: Device(cpu, 0)
}

func ExampleSetDefaultStream() {
	cpu := mlx.Device{Type: mlx.CPU}
	prev, err := mlx.DefaultStream(cpu)
	if err != nil {
		log.Fatal(err)
	}
	s, err := mlx.NewStream(cpu)
	if err != nil {
		log.Fatal(err)
	}
	if err := mlx.SetDefaultStream(s); err != nil {
		log.Fatal(err)
	}
	now, _ := mlx.DefaultStream(cpu)
	fmt.Println(now == s)

	// Ops given no stream now run on s.
	fmt.Println(mlx.Multiply(mlx.FromSlice([]float32{1.5, 2}), mlx.Scalar[float32](2)))

	if err := mlx.SetDefaultStream(prev); err != nil {
		log.Fatal(err)
	}
	now, _ = mlx.DefaultStream(cpu)
	fmt.Println(now == prev)
	// Output:
	// true
	// array([3, 4], dtype=float32)
	// true
}

func ExampleWithStream() {
	cpu := mlx.Device{Type: mlx.CPU}
	s, err := mlx.NewStream(cpu)
	if err != nil {
		log.Fatal(err)
	}
	// Like Python's "with mx.stream(s):", for this goroutine only.
	err = mlx.WithStream(s, func() error {
		inside, _ := mlx.DefaultStream(cpu)
		fmt.Println("inside, default is s:", inside == s)

		done := make(chan bool)
		go func() { // not in the scope
			other, _ := mlx.DefaultStream(cpu)
			done <- other == s
		}()
		fmt.Println("another goroutine, default is s:", <-done)

		c := mlx.Add(mlx.FromSlice([]int{1, 2}), mlx.FromSlice([]int{3, 4})) // runs on s
		fmt.Println(c)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	after, _ := mlx.DefaultStream(cpu)
	fmt.Println("after, default is s:", after == s)
	// Output:
	// inside, default is s: true
	// another goroutine, default is s: false
	// array([4, 6], dtype=int32)
	// after, default is s: false
}

func ExampleStream_Synchronize() {
	s, err := mlx.NewStream(mlx.Device{Type: mlx.CPU})
	if err != nil {
		log.Fatal(err)
	}
	x := mlx.OnesOn(s, []int{256, 256}, mlx.Float32)
	y := mlx.SumOn(s, mlx.MatmulOn(s, x, x), false)
	if err := mlx.AsyncEval(y); err != nil { // schedule, don't wait
		log.Fatal(err)
	}
	if err := s.Synchronize(); err != nil { // wait for everything on s
		log.Fatal(err)
	}
	fmt.Println(y)
	// Output: array(1.67772e+07, dtype=float32)
}

func ExampleSynchronize() {
	c := mlx.Subtract(mlx.FromSlice([]int{5, 7}), mlx.Scalar(2))
	if err := mlx.AsyncEval(c); err != nil {
		log.Fatal(err)
	}
	// Waits for the default stream of the default device.
	if err := mlx.Synchronize(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(c)
	// Output: array([3, 5], dtype=int32)
}

// Two streams work at the same time: an add on one, a multiply on the other.
func Example_parallelStreams() {
	cpu := mlx.Device{Type: mlx.CPU}
	s1, err := mlx.NewStream(cpu)
	if err != nil {
		log.Fatal(err)
	}
	s2, err := mlx.NewStream(cpu)
	if err != nil {
		log.Fatal(err)
	}
	a := mlx.FromSlice([]float32{1, 2, 3, 4})
	b := mlx.FromSlice([]float32{10, 20, 30, 40})
	sum := mlx.AddOn(s1, a, b)
	prod := mlx.MultiplyOn(s2, a, b)
	if err := mlx.AsyncEval(sum, prod); err != nil {
		log.Fatal(err)
	}
	if err := s1.Synchronize(); err != nil {
		log.Fatal(err)
	}
	if err := s2.Synchronize(); err != nil {
		log.Fatal(err)
	}
	fmt.Println("add:     ", sum)
	fmt.Println("multiply:", prod)
	// Output:
	// add:      array([11, 22, 33, 44], dtype=float32)
	// multiply: array([10, 40, 90, 160], dtype=float32)
}

// The guide's multi-GPU example: a stream on each GPU, independent work on
// each, every result checked. Where MLX has no GPU it runs on the CPU.
func Example_multiGPU() {
	devices := []mlx.Device{{Type: mlx.CPU}}
	if n := mlx.DeviceCount(mlx.GPU); n > 0 {
		devices = devices[:0]
		for i := 0; i < n; i++ {
			devices = append(devices, mlx.Device{Type: mlx.GPU, Index: i})
		}
	}
	results := make([]*mlx.Array, len(devices))
	for i, d := range devices {
		s, err := mlx.NewStream(d)
		if err != nil {
			log.Fatal(err)
		}
		x := mlx.ArangeOn(s, 0, 100, 1, mlx.Float32)
		results[i] = mlx.SumOn(s, mlx.MultiplyOn(s, x, mlx.Scalar[float32](2)), false)
	}
	if err := mlx.Eval(results...); err != nil {
		log.Fatal(err)
	}
	ok := true
	for _, r := range results {
		v, err := mlx.Item[float32](r)
		ok = ok && err == nil && v == 9900
	}
	fmt.Println("every device computed 2 * (0 + 1 + ... + 99) = 9900:", ok)
	// Output: every device computed 2 * (0 + 1 + ... + 99) = 9900: true
}

// Every op has an On form that takes a stream, a device or a device type,
// like the stream= argument of Python MLX: mx.add(a, b, stream=mx.cpu).
func ExampleAddOn() {
	a := mlx.FromSlice([]float32{1, 2})
	b := mlx.FromSlice([]float32{0.5, 0.25})
	fmt.Println(mlx.AddOn(mlx.CPU, a, b))
	fmt.Println(mlx.AddOn(mlx.Device{Type: mlx.CPU}, a, b))

	// A device MLX does not have is an error, carried by the result (so is
	// mlx.GPU where MLX has no GPU backend).
	c := mlx.AddOn(mlx.Device{Type: mlx.CPU, Index: 1}, a, b)
	fmt.Println(c.Err())
	// Output:
	// array([1.5, 2.25], dtype=float32)
	// array([1.5, 2.25], dtype=float32)
	// mlx: add: Device(cpu, 1): device index out of range (1 cpu device(s))
}

// Ops only record a graph; evaluation happens at Eval, or when the data is
// read, and errors travel with the graph until then.
func Example_lazyEvaluation() {
	a := mlx.FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	b := mlx.Matmul(a, a) // nothing computed yet
	c := mlx.Sum(b, false)
	fmt.Println(b.Shape(), c.Dtype()) // known without evaluating

	a.Free() // the graph keeps what it needs
	if err := mlx.Eval(c); err != nil {
		log.Fatal(err)
	}
	fmt.Println(c)

	v, err := mlx.Item[float32](mlx.Multiply(c, c)) // reading evaluates
	fmt.Println(v, err)

	bad := mlx.Add(mlx.Reshape(b, 3), c) // the reshape fails; add passes it on
	fmt.Println(mlx.Eval(bad))
	// Output:
	// [2 2] float32
	// array(54, dtype=float32)
	// 2916 <nil>
	// mlx: reshape: [reshape] Cannot reshape array of size 4 into shape (3).
}

// Work on one stream runs in the order it was enqueued, and an op that uses
// another stream's result waits for it.
func Example_streamOrdering() {
	cpu := mlx.Device{Type: mlx.CPU}
	s1, err := mlx.NewStream(cpu)
	if err != nil {
		log.Fatal(err)
	}
	s2, err := mlx.NewStream(cpu)
	if err != nil {
		log.Fatal(err)
	}
	x := mlx.Arange(0, 4, 1, mlx.Float32)
	y := mlx.AddOn(s1, x, mlx.Scalar[float32](1)) // on s1: [1 2 3 4]
	z := mlx.MultiplyOn(s2, y, y)                 // on s2, after y: [1 4 9 16]
	w := mlx.SubtractOn(s1, z, y)                 // back on s1, after z: [0 2 6 12]
	if err := mlx.AsyncEval(w); err != nil {
		log.Fatal(err)
	}
	if err := s1.Synchronize(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(w)
	// Output: array([0, 2, 6, 12], dtype=float32)
}
