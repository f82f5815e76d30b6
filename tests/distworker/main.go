// Command distworker is one process of the distributed tests
// (tests/distributed_test.go), started by internal/launch on the ring
// backend. It prints one JSON object per line on stdout; the tests check the
// values against their own computation.
//
//	distworker collectives   # AllSum, AllMax, AllMin, AllGather of rank-made arrays
//	distworker ring          # pass an array around the ring with Send and Recv
//	distworker die RANK      # RANK exits mid-run; the others report the error
//	distworker errors        # errors a ring job reports
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/mlx-go/mlx"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: distworker collectives|ring|die RANK|errors")
		os.Exit(2)
	}
	g, err := mlx.DistributedInit(mlx.BackendRing, true)
	if err != nil {
		fail(err)
	}
	defer g.Free()
	switch os.Args[1] {
	case "collectives":
		collectives(g)
	case "ring":
		ring(g)
	case "die":
		r, _ := strconv.Atoi(os.Args[2])
		die(g, r)
	case "errors":
		errorsMode(g)
	default:
		fail(fmt.Errorf("unknown mode %q", os.Args[1]))
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

func errorsIs(err, target error) bool { return errors.Is(err, target) }
