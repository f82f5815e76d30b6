package mlx

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func osThreads(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "Threads:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	t.Skip("no thread count")
	return 0
}

// MLX falls back on the calling thread's default stream in Save, Depends and
// transforms; each new MLX stream starts a worker thread that never ends.
// Calls from fresh OS threads must not create streams (and so threads).
func TestNoStreamPerOSThread(t *testing.T) {
	dir := t.TempDir()
	x := FromSlice([]float32{1, 2, 3})
	y := Add(x, x) // unevaluated: Save must evaluate it on the MLX thread
	// Warm up: whatever one-time threads MLX starts.
	if err := Save(filepath.Join(dir, "w.npy"), x); err != nil {
		t.Fatal(err)
	}
	before := osThreads(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
			if err := Save(filepath.Join(dir, "y"+strconv.Itoa(i)+".npy"), y); err != nil {
				t.Error(err)
			}
			if _, err := Depends([]*Array{x}, []*Array{y}); err != nil {
				t.Error(err)
			}
			sq := func(a []*Array) ([]*Array, error) { return []*Array{Sum(Multiply(a[0], a[0]), false)}, nil }
			g, err := Grad(sq)(FromSlice([]float32{1, 2}))
			if err != nil {
				t.Error(err)
				return
			}
			if got, err := Data[float32](g[0]); err != nil || got[0] != 2 || got[1] != 4 {
				t.Errorf("grad = %v, %v", got, err)
			}
		}(i)
	}
	wg.Wait()
	// The locked threads exit with their goroutines, a little later.
	after := osThreads(t)
	for i := 0; i < 100 && after >= before+8; i++ {
		time.Sleep(10 * time.Millisecond)
		after = osThreads(t)
	}
	if after >= before+8 {
		t.Fatalf("OS threads grew from %d to %d: MLX made a stream per calling thread", before, after)
	}
	loaded := Load(filepath.Join(dir, "y3.npy"))
	if got, err := Data[float32](loaded); err != nil || got[2] != 6 {
		t.Fatalf("saved y = %v, %v", got, err)
	}
}
