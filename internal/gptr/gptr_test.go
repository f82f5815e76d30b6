package gptr

import (
	"sync"
	"testing"
)

// Each goroutine has its own key, and keeps it.
func TestGetIsPerGoroutine(t *testing.T) {
	const n = 64
	keys := make([]uintptr, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			k := Get()
			for range 1000 {
				if Get() != k {
					t.Errorf("goroutine %d: key changed", i)
					return
				}
			}
			keys[i] = k
		}()
	}
	close(start)
	wg.Wait()
	seen := map[uintptr]bool{Get(): true}
	for i, k := range keys {
		if k <= 1 || seen[k] {
			t.Fatalf("goroutine %d: key %#x is 0, 1 or another goroutine's", i, k)
		}
		seen[k] = true
	}
}
