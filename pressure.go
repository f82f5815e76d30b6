package mlx

import (
	"runtime"
	"sync/atomic"
)

// Go's collector sees 32 bytes per Array whatever MLX memory the array
// holds, so a loop that never frees its arrays could fill the machine before
// Go collects once: 100 unfreed 16 MiB results left 1.6 GiB in MLX's
// allocator and no collection had run. Evaluations and large FromSlice calls
// therefore watch MLX's active memory and start a collection (whose
// finalizers free the unreachable arrays) when it has grown past twice its
// low-water mark since the last one, plus pressureSlack. Memory that is
// really in use only raises the mark: collections stay geometric.
const pressureSlack = 64 << 20

var pressure struct {
	low     atomic.Int64 // lowest active memory seen since the last collection began
	running atomic.Bool  // a collection started here has not returned yet
}

// checkPressure is called where MLX memory grows (evaluations, FromSlice of
// at least pressureMinBytes): a cgo call that reads one counter.
func checkPressure() {
	a := int64(gomlxActiveMemory())
	low := pressure.low.Load()
	for a < low && !pressure.low.CompareAndSwap(low, a) {
		low = pressure.low.Load()
	}
	if a < 2*min(low, a)+pressureSlack || !pressure.running.CompareAndSwap(false, true) {
		return // a < low when another goroutine lowered the mark meanwhile
	}
	pressure.low.Store(a)
	go func() {
		// Arrays still in the nursery have no finalizer yet: give them
		// theirs first, or this collection could not release them.
		nursery.Lock()
		flushNurseryLocked()
		nursery.Unlock()
		runtime.GC()
		pressure.running.Store(false)
	}()
}

// pressureMinBytes: smaller FromSlice calls (scalars, mostly) do not check.
const pressureMinBytes = 1 << 20
