// Command memloop checks that Go programs can trust MLX memory: it runs
// x = x*0.5 + 1 on a small float32 array, evaluating every 100 steps, and
// prints MLX's active and peak memory and the process's peak RSS at
// checkpoints, one line each:
//
//	mode<TAB>steps<TAB>active_bytes<TAB>mlx_peak_bytes<TAB>vmhwm_kib<TAB>vmrss_kib<TAB>go_heap_bytes<TAB>num_gc<TAB>seconds<TAB>scope_mismatches
//
// Modes:
//
//	gc      no Free at all: the garbage collector's backstop releases every array
//	scope   each 100 steps in mlx.Scope; the new state leaves the scope with
//	        mlx.Keep and the previous state is freed; active memory must be
//	        back exactly at its starting value after every scope
//
// The constants 0.5 and 1 are new scalar arrays at every step, as Python's
// x * 0.5 + 1 makes them, so each step makes four arrays.
//
// Run one mode per process: the peak RSS (VmHWM) is the process's.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/mlx-go/mlx"
)

func main() {
	mode := flag.String("mode", "gc", "gc or scope")
	steps := flag.Int("steps", 1_000_000, "steps to run")
	every := flag.Int("every", 100, "steps between evaluations (and scopes)")
	n := flag.Int("n", 1000, "float32 elements of x")
	checkpoints := flag.String("checkpoints", "10000,100000,1000000", "steps at which to report (multiples of -every)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("memloop: ")

	report := map[int]bool{}
	for _, s := range strings.Split(*checkpoints, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || v%*every != 0 {
			log.Fatalf("bad checkpoint %q: want a multiple of -every", s)
		}
		report[v] = true
	}

	x := mlx.Zeros([]int{*n}, mlx.Float32)
	if err := mlx.Eval(x); err != nil {
		log.Fatal(err)
	}
	step := func(x *mlx.Array) *mlx.Array {
		return mlx.Add(mlx.Multiply(x, mlx.Scalar[float32](0.5)), mlx.Scalar[float32](1))
	}
	start, err := mlx.ActiveMemory()
	if err != nil {
		log.Fatal(err)
	}
	if err := mlx.ResetPeakMemory(); err != nil {
		log.Fatal(err)
	}
	mismatches, firstMismatch := 0, ""
	t0 := time.Now()
	for done := 0; done < *steps; done += *every {
		switch *mode {
		case "gc":
			for i := 0; i < *every; i++ {
				x = step(x)
			}
			if err := mlx.Eval(x); err != nil {
				log.Fatal(err)
			}
		case "scope":
			prev := x
			err := mlx.Scope(func() error {
				y := prev
				for i := 0; i < *every; i++ {
					y = step(y)
				}
				if err := mlx.Eval(y); err != nil {
					return err
				}
				x = mlx.Keep(y)
				return nil
			})
			if err != nil {
				log.Fatal(err)
			}
			prev.Free()
			if now, _ := mlx.ActiveMemory(); now != start {
				if mismatches == 0 {
					firstMismatch = fmt.Sprintf("after step %d: %d bytes, started at %d", done+*every, now, start)
				}
				mismatches++
			}
		default:
			log.Fatalf("unknown mode %q", *mode)
		}
		if report[done+*every] {
			active, _ := mlx.ActiveMemory()
			peak, _ := mlx.PeakMemory()
			hwm, rss := procStatus()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			fmt.Printf("%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.2f\t%d\n", *mode, done+*every, active, peak, hwm, rss,
				ms.HeapAlloc, ms.NumGC, time.Since(t0).Seconds(), mismatches)
		}
	}
	if v, err := mlx.Data[float32](x); err != nil || v[0] != 2 || v[len(v)-1] != 2 {
		log.Fatalf("x did not converge to 2 (%v)", err)
	}
	if mismatches > 0 {
		log.Printf("active memory differed from its start after %d scopes, first %s", mismatches, firstMismatch)
	}
	fmt.Fprintf(os.Stderr, "memloop: %s: %d steps in %.1fs, active memory at start %d bytes\n", *mode, *steps, time.Since(t0).Seconds(), start)
}

// procStatus returns VmHWM (peak resident set) and VmRSS in KiB.
func procStatus() (hwm, rss int) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1, -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		v, _ := strconv.Atoi(fields[1])
		switch fields[0] {
		case "VmHWM:":
			hwm = v
		case "VmRSS:":
			rss = v
		}
	}
	return hwm, rss
}
