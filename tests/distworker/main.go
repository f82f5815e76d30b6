// Command distworker is one process of the distributed tests
// (tests/distributed_test.go), started by internal/launch on the ring
// backend (or, with -backend nccl, on NCCL). It prints one JSON object per
// line on stdout; the tests check the values against their own computation.
//
//	distworker collectives   # AllSum, AllMax, AllMin, AllGather of rank-made arrays
//	distworker ring          # pass an array around the ring with Send and Recv
//	distworker die RANK      # RANK exits mid-run; the others report the error
//	distworker errors        # errors a ring job reports
//	distworker -backend nccl nccl  # what NCCL does beyond the ring: SumScatter,
//	                               # Split, half-precision sums; Send and Recv fail
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/mlx-go/mlx"
)

func main() {
	backend := flag.String("backend", mlx.BackendRing, "distributed backend")
	flag.Parse()
	if flag.NArg() < 1 {
		fmt.Fprintln(os.Stderr, "usage: distworker [-backend ring|nccl] collectives|ring|die RANK|errors|nccl")
		os.Exit(2)
	}
	g, err := mlx.DistributedInit(*backend, true)
	if err != nil {
		fail(err)
	}
	defer g.Free()
	switch flag.Arg(0) {
	case "collectives":
		collectives(g)
	case "ring":
		ring(g)
	case "die":
		r, _ := strconv.Atoi(flag.Arg(1))
		die(g, r)
	case "errors":
		errorsMode(g)
	case "nccl":
		ncclMode(g)
	default:
		fail(fmt.Errorf("unknown mode %q", flag.Arg(0)))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "distworker:", err)
	os.Exit(1)
}

func emit(v map[string]any) {
	b, err := json.Marshal(v)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(b))
}

func data[T mlx.Element](a *mlx.Array) []T {
	v, err := mlx.Data[T](a)
	if err != nil {
		fail(err)
	}
	return v
}

// input is rank r's array: x[i] = (r+1) * (i+1) * (-1)^(r+i), whole numbers,
// so sums are exact in float32.
func input(r, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		v := float32((r + 1) * (i + 1))
		if (r+i)%2 == 1 {
			v = -v
		}
		x[i] = v
	}
	return x
}

func collectives(g *mlx.Group) {
	r := g.Rank()
	x := mlx.FromSlice(input(r, 6), 2, 3)
	xi := mlx.AsType(x, mlx.Int32)
	out := map[string]any{"rank": r, "size": g.Size()}
	sum, mx, mn, gather := mlx.AllSum(x, g), mlx.AllMax(x, g), mlx.AllMin(x, g), mlx.AllGather(x, g)
	sumi, gi := mlx.AllSum(xi, g), mlx.AllGather(xi, g)
	global := mlx.AllSum(x, nil) // nil: the global group
	scalar := mlx.AllGather(mlx.Scalar(float32(r)), g)
	if err := g.Eval(20*time.Second, sum, mx, mn, gather, sumi, gi, global, scalar); err != nil {
		fail(err)
	}
	out["sum"], out["max"], out["min"] = data[float32](sum), data[float32](mx), data[float32](mn)
	out["gather"], out["gather_shape"] = data[float32](gather), gather.Shape()
	out["sum_int"], out["gather_int"] = data[int32](sumi), data[int32](gi)
	out["global_sum"] = data[float32](global)
	out["scalar_gather"], out["scalar_gather_shape"] = data[float32](scalar), scalar.Shape()
	out["sum_shape"], out["sum_dtype"] = sum.Shape(), sum.Dtype().String()
	emit(out)
}

// ring sends rank r's array to r+1 and receives from r-1, with Recv and
// RecvLike, twice around.
func ring(g *mlx.Group) {
	r, n := g.Rank(), g.Size()
	right, left := (r+1)%n, (r+n-1)%n
	x := mlx.FromSlice(input(r, 5))
	var got1, got2 []float32
	for round := range 2 {
		var sent, recv *mlx.Array
		// Even ranks send first, odd ranks receive first, each in its own
		// evaluation: MLX may order one graph's send and recv either way, and
		// a ring where every rank waits to receive first never moves.
		if round == 0 {
			sent = mlx.Send(x, right, g)
			recv = mlx.Recv([]int{5}, mlx.Float32, left, g)
		} else {
			sent = mlx.Send(mlx.Multiply(x, mlx.Scalar[float32](2)), right, g)
			recv = mlx.RecvLike(x, left, g)
		}
		first, second := sent, recv
		if r%2 == 1 {
			first, second = recv, sent
		}
		for _, a := range []*mlx.Array{first, second} {
			if err := g.Eval(20*time.Second, a); err != nil {
				fail(err)
			}
		}
		if round == 0 {
			got1 = data[float32](recv)
		} else {
			got2 = data[float32](recv)
		}
	}
	emit(map[string]any{"rank": r, "from": left, "recv": got1, "recv_like": got2})
}

// die: every rank takes part in one AllSum; then rank dead exits with status
// 3 and the others start another AllSum, which can never finish.
func die(g *mlx.Group, dead int) {
	r := g.Rank()
	x := mlx.FromSlice(input(r, 4))
	s := mlx.AllSum(x, g)
	if err := g.Eval(20*time.Second, s); err != nil {
		fail(err)
	}
	emit(map[string]any{"rank": r, "first": data[float32](s)})
	if r == dead {
		os.Exit(3)
	}
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	err := g.Eval(20*time.Second, mlx.AllSum(x, g))
	emit(map[string]any{"rank": r, "error": fmt.Sprint(err), "peer_lost": errorsIs(err, mlx.ErrPeerLost),
		"seconds": time.Since(start).Seconds()})
	if err != nil {
		os.Exit(1)
	}
}

// errorsMode reports errors a ring job gives, after one successful AllSum.
func errorsMode(g *mlx.Group) {
	r := g.Rank()
	out := map[string]any{"rank": r}
	_, err := g.Split(0, r)
	out["split"] = fmt.Sprint(err)
	out["send_bad_dst"] = fmt.Sprint(mlx.Send(mlx.FromSlice([]float32{1}), g.Size(), g).Err())
	out["recv_bad_src"] = fmt.Sprint(mlx.Recv([]int{1}, mlx.Float32, -1, g).Err())
	out["sum_scatter"] = fmt.Sprint(g.Eval(20*time.Second, mlx.SumScatter(mlx.FromSlice(input(r, 2*g.Size())), g)))
	out["sum_scatter_shape"] = fmt.Sprint(mlx.SumScatter(mlx.FromSlice(input(r, 2*g.Size()+1)), g).Err())
	emit(out)
}

// ncclMode reports what the NCCL backend does beyond the ring's
// collectives: SumScatter, Split (reversed ranks, and groups of one), sums
// in float16 and bfloat16, and the errors of Send and Recv, which it lacks.
func ncclMode(g *mlx.Group) {
	r, n := g.Rank(), g.Size()
	out := map[string]any{"rank": r, "size": n, "device": mlx.DefaultDevice().String()}
	scatter := mlx.SumScatter(mlx.FromSlice(input(r, 2*n)), g)
	x := mlx.FromSlice(input(r, 6))
	half := mlx.AsType(mlx.AllSum(mlx.AsType(x, mlx.Float16), g), mlx.Float32)
	bf := mlx.AsType(mlx.AllSum(mlx.AsType(x, mlx.BFloat16), g), mlx.Float32)
	i64 := mlx.AllSum(mlx.AsType(x, mlx.Int64), g)
	if err := g.Eval(20*time.Second, scatter, half, bf, i64); err != nil {
		fail(err)
	}
	out["sum_scatter"], out["sum_scatter_shape"] = data[float32](scatter), scatter.Shape()
	out["sum_float16"], out["sum_bfloat16"], out["sum_int64"] = data[float32](half), data[float32](bf), data[int64](i64)

	// Split: one group in reversed rank order, then a group of one each.
	rev, err := g.Split(0, n-1-r)
	if err != nil {
		fail(err)
	}
	revSum, revGather := mlx.AllSum(x, rev), mlx.AllGather(mlx.Scalar(float32(r)), rev)
	alone, err := g.Split(r, 0)
	if err != nil {
		fail(err)
	}
	aloneSum := mlx.AllSum(x, alone)
	if err := g.Eval(20*time.Second, revSum, revGather, aloneSum); err != nil {
		fail(err)
	}
	out["split_rank"], out["split_size"] = rev.Rank(), rev.Size()
	out["split_sum"], out["split_gather"] = data[float32](revSum), data[float32](revGather)
	out["alone_size"], out["alone_sum"] = alone.Size(), data[float32](aloneSum)

	// Last, since they fail inside an evaluation.
	out["send"] = fmt.Sprint(g.Eval(20*time.Second, mlx.Send(x, (r+1)%n, g)))
	out["recv"] = fmt.Sprint(g.Eval(20*time.Second, mlx.Recv([]int{6}, mlx.Float32, (r+n-1)%n, g)))
	emit(out)
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
