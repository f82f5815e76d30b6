package mlx_test

// Tests of the GPU paths (MLX's devices-and-streams guide): they run where
// MLX has a GPU backend with a device (a CUDA build on an NVIDIA machine, see
// docs/cuda.md) and skip elsewhere. Results are exact: integer-valued float32
// data, sums well inside float32's exact range.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sync"
	"testing"

	"github.com/mlx-go/mlx"
)

func needGPUs(t *testing.T, n int) {
	t.Helper()
	if got := mlx.DeviceCount(mlx.GPU); got < n {
		t.Skipf("needs %d GPU(s); this MLX has %d", n, got)
	}
}

// gpuWork builds, on stream s, sum((a @ b) + k) for a = arange(n*n)/n
// reshaped to n x n... kept integer: a[i][j] = (i+j) mod 7, b = ones, so
// (a @ b)[i][j] = sum_k a[i][k]; it returns the array and the exact value.
func gpuWork(s mlx.StreamOrDevice, n, k int) (*mlx.Array, float64) {
	v := make([]float32, n*n)
	var want float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v[i*n+j] = float32((i + j) % 7)
			want += float64((i+j)%7) * float64(n) // each a[i][j] counted once per output column
		}
	}
	want += float64(n * n * k)
	a := mlx.FromSlice(v, n, n)
	b := mlx.OnesOn(s, []int{n, n}, mlx.Float32)
	c := mlx.AddOn(s, mlx.MatmulOn(s, a, b), mlx.Scalar(float32(k)))
	return mlx.SumOn(s, c, false), want
}

func checkItem(t *testing.T, what string, a *mlx.Array, want float64) {
	t.Helper()
	got, err := mlx.Item[float32](a)
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	if float64(got) != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestGPUDevice(t *testing.T) {
	needGPUs(t, 1)
	g := mlx.Device{Type: mlx.GPU}
	if !g.IsAvailable() {
		t.Fatalf("%v is not available with DeviceCount(GPU) = %d", g, mlx.DeviceCount(mlx.GPU))
	}
	info, err := g.Info()
	if err != nil {
		t.Fatal(err)
	}
	name, ok := info.String("device_name")
	if !ok || name == "" {
		t.Errorf("device_name = %q, %v; keys %v", name, ok, info.Keys())
	}
	t.Logf("%v: %v", g, info)
	// Out of range: one past the last GPU.
	past := mlx.Device{Type: mlx.GPU, Index: mlx.DeviceCount(mlx.GPU)}
	if past.IsAvailable() {
		t.Errorf("%v is available", past)
	}
	if _, err := mlx.NewStream(past); err == nil {
		t.Errorf("NewStream(%v) succeeded", past)
	}
}

func TestGPUStreams(t *testing.T) {
	needGPUs(t, 1)
	g := mlx.Device{Type: mlx.GPU}
	s1, err := mlx.NewStream(g)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := mlx.NewStream(g)
	if err != nil {
		t.Fatal(err)
	}
	def, err := mlx.DefaultStream(g)
	if err != nil {
		t.Fatal(err)
	}
	if s1.Device != g || s1 == s2 || s1 == def {
		t.Errorf("streams %v, %v, default %v", s1, s2, def)
	}

	x, want := gpuWork(s1, 64, 3)
	checkItem(t, "work on a new GPU stream", x, want)
	y, want := gpuWork(def, 64, 4)
	checkItem(t, "work on the GPU's default stream", y, want)

	t.Run("scoped GPU stream", func(t *testing.T) {
		err := mlx.WithStream(s2, func() error {
			if d := mlx.DefaultDevice(); d != g {
				t.Errorf("DefaultDevice() in scope = %v", d)
			}
			z, want := gpuWork(s2, 32, 1)
			checkItem(t, "scoped", mlx.Add(z, mlx.Scalar(float32(0))), want)
			return mlx.Synchronize()
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("synchronize", func(t *testing.T) {
		z, want := gpuWork(s1, 128, 2)
		if err := mlx.AsyncEval(z); err != nil {
			t.Fatal(err)
		}
		if err := s1.Synchronize(); err != nil {
			t.Fatal(err)
		}
		checkItem(t, "after Synchronize", z, want)
	})

	t.Run("CPU and GPU in one graph", func(t *testing.T) {
		c, err := mlx.NewStream(mlx.Device{Type: mlx.CPU})
		if err != nil {
			t.Fatal(err)
		}
		a := mlx.ArangeOn(c, 0, 1000, 1, mlx.Float32)      // CPU
		b := mlx.MultiplyOn(s1, a, mlx.Scalar(float32(2))) // GPU
		d := mlx.AddOn(c, b, mlx.Scalar(float32(1)))       // CPU again
		e := mlx.SumOn(s2, d, false)                       // GPU, another stream
		checkItem(t, "cpu→gpu→cpu→gpu", e, 2*999*1000/2+1000)
	})

	t.Run("parallel GPU streams from goroutines", func(t *testing.T) {
		// 32 goroutines on 4 GPU streams, each goroutine moved between OS
		// threads (LockOSThread/Unlock around a Gosched) between building
		// and reading its result.
		streams := []mlx.Stream{s1, s2, def}
		s3, err := mlx.NewStream(g)
		if err != nil {
			t.Fatal(err)
		}
		streams = append(streams, s3)
		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for i := 0; i < 32; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := streams[i%len(streams)]
				for r := 0; r < 5; r++ {
					x, want := gpuWork(s, 16+i, r)
					runtime.LockOSThread()
					runtime.Gosched()
					runtime.UnlockOSThread()
					got, err := mlx.Item[float32](x)
					if err != nil || float64(got) != want {
						errs <- fmt.Errorf("goroutine %d on %v, round %d: %v, %v; want %v", i, s, r, got, err, want)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

// multiGPUChild names the environment variable under which the test binary,
// run again by TestMultiGPU, does the multi-GPU work itself.
const multiGPUChild = "MLX_GO_MULTI_GPU_CHILD"

// runChild runs this test binary again, running only the test named by
// run, with MLX_GO_MULTI_GPU_CHILD=mode, and returns its output.
func runChild(t *testing.T, run, mode string) ([]byte, error) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Skip("cannot run the test binary again:", err)
	}
	cmd := exec.Command(exe, "-test.run="+run, "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), multiGPUChild+"="+mode)
	return cmd.CombinedOutput()
}

// TestMultiGPU is the guide's multi-GPU example: a stream on each GPU,
// independent work on each, results checked. It needs two GPUs. The work runs
// in a child process (this test binary again): on MLX 0.31.2's CUDA backend
// a thread that made one GPU current may fail to read a buffer of the other
// for the first time, and the failed read's CUDA error stays with the thread
// and fails its later waits (TestMultiGPUCrossDeviceRead, docs/cuda.md),
// which would fail unrelated tests.
func TestMultiGPU(t *testing.T) {
	needGPUs(t, 2)
	if os.Getenv(multiGPUChild) == "1" {
		multiGPUWork(t)
		return
	}
	out, err := runChild(t, "^TestMultiGPU$", "1")
	t.Logf("child process:\n%s", out)
	if err != nil {
		t.Errorf("multi-GPU work failed in the child process (%v)", err)
	}
}

// Markers of the child's reports of failed reads.
const (
	crossReadFailed = "cross-device read failed: "
	crossSaveFailed = "cross-device save failed: "
)

// TestMultiGPUCrossDeviceRead checks the reads that MLX 0.31.2 gets wrong
// with several GPUs where a thread made one GPU current and reads, for the
// first time, an array computed on another: MLX then copies the buffer to
// unified memory (CudaAllocator::move_to_unified_memory) and the copy fails
// with "cudaMemcpy(data, buf.data, buf.size, kind) failed: invalid argument"
// (bench/c/multigpu.c, scenarios cross and cross10: one thread through
// mlx-c, as Python runs; docs/cuda.md). In the binding only the MLX thread
// evaluates, and callers' threads wait and read: here a caller reads GPU 1's
// result after waiting for it, then GPU 0's, which another thread waited
// for; then SaveTo, which runs on the MLX thread after it evaluated on GPU 1,
// reads an array of GPU 0. All of it in a child process (a failed read
// leaves its CUDA error with the thread, failing later waits there). The test
// skips with MLX's error where a read fails so.
func TestMultiGPUCrossDeviceRead(t *testing.T) {
	needGPUs(t, 2)
	if os.Getenv(multiGPUChild) == "cross-read" {
		crossDeviceRead(t)
		return
	}
	out, err := runChild(t, "^TestMultiGPUCrossDeviceRead$", "cross-read")
	t.Logf("child process:\n%s", out)
	if m := regexp.MustCompile(crossReadFailed + `(.*)`).FindSubmatch(out); m != nil {
		t.Skipf("MLX 0.31.2 limit: the first host read of a GPU 0 array on a thread whose current CUDA device is GPU 1 fails "+
			"(in MLX: cudaMemcpy(data, buf.data, buf.size, kind) failed: invalid argument); here: %s", m[1])
	}
	if m := regexp.MustCompile(crossSaveFailed + `(.*)`).FindSubmatch(out); m != nil {
		t.Skipf("MLX 0.31.2 limit: SaveTo runs on the MLX thread, whose current CUDA device is the GPU it last evaluated on (GPU 1), "+
			"and its first read of a GPU 0 array there fails (in MLX: cudaMemcpy(data, buf.data, buf.size, kind) failed: invalid argument); here: %s", m[1])
	}
	if err != nil {
		t.Errorf("child process failed (%v)", err)
	}
}

func crossDeviceRead(t *testing.T) {
	runtime.LockOSThread() // for the rest of the child process
	var s [2]mlx.Stream
	for i := range s {
		d := mlx.Device{Type: mlx.GPU, Index: i}
		var err error
		if s[i], err = mlx.NewStream(d); err != nil {
			t.Fatalf("NewStream(%v): %v", d, err)
		}
	}
	// Buffers larger than 8 bytes come from each GPU's memory pool. GPU 0:
	// ones + 1 (256 KiB). GPU 1: 20 matmuls of 4096x4096 (milliseconds of
	// work, so that this thread's wait below really waits) that give ones
	// again, + 2.
	const k = 4096
	x := []*mlx.Array{mlx.AddOn(s[0], mlx.OnesOn(s[0], []int{1 << 16}, mlx.Float32), mlx.Scalar(float32(1)))}
	m := mlx.OnesOn(s[1], []int{k, k}, mlx.Float32)
	w := mlx.FullOn(s[1], []int{k, k}, mlx.Scalar(float32(1.0/k)), mlx.Float32)
	for range 20 {
		m = mlx.MatmulOn(s[1], m, w)
	}
	x = append(x, mlx.AddOn(s[1], mlx.ReshapeOn(s[1], m, k*k), mlx.Scalar(float32(2))))
	if err := mlx.AsyncEval(x...); err != nil {
		t.Fatal(err)
	}
	check := func(i int) error {
		v, err := mlx.Data[float32](x[i])
		if err != nil {
			return err
		}
		if v[0] != float32(i+2) || v[len(v)-1] != float32(i+2) {
			t.Errorf("GPU %d's result: %v ... %v, want %d", i, v[0], v[len(v)-1], i+2)
		}
		return nil
	}
	// Waiting for GPU 1's result makes GPU 1 this thread's current device.
	if err := check(1); err != nil {
		t.Fatalf("GPU 1's result read on the thread that waited for it: %v", err)
	}
	done := make(chan error)
	go func() {
		runtime.LockOSThread() // the thread ends with the goroutine
		done <- mlx.Eval(x[0])
	}()
	if err := <-done; err != nil {
		t.Fatalf("waiting for GPU 0's result on another thread: %v", err)
	}
	if err := check(0); err != nil {
		fmt.Printf("%s%v\n", crossReadFailed, err)
		t.Skip("the read failed")
	}

	// The MLX thread evaluates, GPU 1 last: GPU 1 is its current device. SaveTo
	// runs there, and reads GPU 0's array for the first time.
	y0 := mlx.AddOn(s[0], mlx.OnesOn(s[0], []int{1 << 16}, mlx.Float32), mlx.Scalar(float32(3)))
	y1 := mlx.AddOn(s[1], mlx.OnesOn(s[1], []int{1 << 16}, mlx.Float32), mlx.Scalar(float32(4)))
	for _, y := range []*mlx.Array{y0, y1} {
		if err := mlx.Eval(y); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := mlx.SaveTo(&buf, y0); err != nil {
		fmt.Printf("%s%v\n", crossSaveFailed, err)
		t.Skip("the save failed")
	}
	back, err := mlx.LoadFrom(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := mlx.Data[float32](back); err != nil {
		t.Errorf("reading the loaded array: %v", err)
	} else if v[0] != 4 || v[len(v)-1] != 4 {
		t.Errorf("saved and loaded GPU 0's array: %v ... %v, want 4", v[0], v[len(v)-1])
	}
}

func multiGPUWork(t *testing.T) {
	n := mlx.DeviceCount(mlx.GPU)
	type job struct {
		x    *mlx.Array
		want float64
	}
	jobs := make([]job, n)
	for i := 0; i < n; i++ {
		d := mlx.Device{Type: mlx.GPU, Index: i}
		info, err := d.Info()
		if err != nil {
			t.Fatalf("%v.Info(): %v", d, err)
		}
		t.Logf("%v: %v", d, info)
		s, err := mlx.NewStream(d)
		if err != nil {
			t.Fatalf("NewStream(%v): %v", d, err)
		}
		if s.Device != d {
			t.Errorf("NewStream(%v) made a stream on %v", d, s.Device)
		}
		x, want := gpuWork(s, 128, i+1)
		jobs[i] = job{x, want}
	}
	// Schedule everything first, so the GPUs work at the same time.
	for i, j := range jobs {
		if err := mlx.AsyncEval(j.x); err != nil {
			t.Fatalf("AsyncEval on GPU %d: %v", i, err)
		}
	}
	for i, j := range jobs {
		checkItem(t, fmt.Sprintf("work on GPU %d", i), j.x, j.want)
	}
	// A default device other than GPU 0.
	g1 := mlx.Device{Type: mlx.GPU, Index: 1}
	err := mlx.WithStream(g1, func() error {
		x, want := gpuWork(g1, 64, 5)
		checkItem(t, "work in a Device(gpu, 1) scope", x, want)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
