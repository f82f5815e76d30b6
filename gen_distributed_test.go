package mlx_test

// Distributed collectives in a single process (no backend configured): the
// group of one. Multi-process tests are in tests/distributed_test.go.

import (
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/mlx-go/mlx"
)

// noRingEnv unsets the ring backend's variables for the test: MLX reads
// them with getenv, where empty is not unset.
func noRingEnv(t *testing.T) {
	for _, k := range []string{"MLX_RANK", "MLX_HOSTFILE"} {
		t.Setenv(k, "") // restores the old value after the test
		os.Unsetenv(k)
	}
}

func TestDistributedSingleProcess(t *testing.T) {
	noRingEnv(t)
	if !mlx.DistributedIsAvailable("") || !mlx.DistributedIsAvailable(mlx.BackendRing) {
		t.Fatal("the ring backend is in every MLX build")
	}
	if mlx.DistributedIsAvailable("no-such-backend") {
		t.Error("an unknown backend is available")
	}
	g, err := mlx.DistributedInit(mlx.BackendAny, false)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Free()
	if g.Rank() != 0 || g.Size() != 1 || g.String() != "Group(rank 0 of 1)" {
		t.Fatalf("group %v: rank %d size %d", g, g.Rank(), g.Size())
	}
	x := mlx.FromSlice([]float32{1, -2, 3}, 3)
	// In a group of one, reductions and gathers return x.
	for name, y := range map[string]*mlx.Array{
		"AllSum": mlx.AllSum(x, g), "AllMax": mlx.AllMax(x, g), "AllMin": mlx.AllMin(x, g),
		"AllGather": mlx.AllGather(x, g), "SumScatter": mlx.SumScatter(x, g),
		"AllSumOn(CPU)": mlx.AllSumOn(mlx.CPU, x, g), "AllSum(nil group)": mlx.AllSum(x, nil),
	} {
		if err := g.Eval(10*time.Second, y); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if v, _ := mlx.Data[float32](y); !slices.Equal(v, []float32{1, -2, 3}) {
			t.Errorf("%s = %v", name, v)
		}
	}
	// Point to point needs a second process.
	for name, c := range map[string]struct {
		a    *mlx.Array
		want string
	}{
		"Send":     {mlx.Send(x, 0, g), "mlx: distributed.send: Cannot send to a singleton group"},
		"Recv":     {mlx.Recv([]int{3}, mlx.Float32, 0, g), "mlx: distributed.recv: Cannot recv from a singleton group"},
		"RecvLike": {mlx.RecvLike(x, 0, nil), "mlx: distributed.recv_like: Cannot recv from a singleton group"},
	} {
		var e *mlx.Error
		if err := c.a.Err(); !errors.As(err, &e) || err.Error() != c.want {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	// MLX's singleton group cannot split; a build with NCCL (CUDA) may pick
	// that backend for "any", whose groups split even at size 1.
	if mlx.DistributedIsAvailable(mlx.BackendNCCL) {
		return
	}
	if _, err := g.Split(0, 0); err == nil || err.Error() != "mlx: distributed.group.split: Cannot split the distributed group further." {
		t.Errorf("Split: %v", err)
	}
}

func TestDistributedInitErrors(t *testing.T) {
	noRingEnv(t)
	_, err := mlx.DistributedInit("bogus", false)
	var e *mlx.Error
	if !errors.As(err, &e) || e.Op != "distributed.init" ||
		e.Msg != "[distributed] The only valid values for backend are 'any', 'mpi', 'nccl', 'jaccl' and 'ring' but 'bogus' was provided." {
		t.Errorf("bogus backend: %v", err)
	}
	_, err = mlx.DistributedInit(mlx.BackendRing, true)
	if err == nil || err.Error() != `mlx: distributed.init: [ring] You need to provide via environment variables both a rank (MLX_RANK) and a hostfile (MLX_HOSTFILE) but provided MLX_RANK="" and MLX_HOSTFILE=""` {
		t.Errorf("strict ring without a hostfile: %v", err)
	}
}

func TestGroupFree(t *testing.T) {
	noRingEnv(t)
	g, err := mlx.DistributedInit("", false)
	if err != nil {
		t.Fatal(err)
	}
	g.Free()
	g.Free() // twice is fine
	if g.Size() != 1 {
		t.Errorf("Size after Free = %d", g.Size())
	}
	x := mlx.FromSlice([]float32{1})
	if err := mlx.AllSum(x, g).Err(); !errors.Is(err, mlx.ErrFreed) || err.Error() != "mlx: distributed.all_sum: group used after Free" {
		t.Errorf("AllSum on a freed group: %v", err)
	}
	if _, err := g.Split(0, 0); !errors.Is(err, mlx.ErrFreed) {
		t.Errorf("Split on a freed group: %v", err)
	}
	if err := g.Eval(0, x); !errors.Is(err, mlx.ErrFreed) {
		t.Errorf("Eval on a freed group: %v", err)
	}
	var nilGroup *mlx.Group
	if _, err := nilGroup.Split(0, 0); !errors.Is(err, mlx.ErrInvalidArgument) {
		t.Errorf("Split on nil: %v", err)
	}
}

// A collective given the nil (global) group works inside transforms, where
// the MLX thread cannot be asked for the group.
func TestDistributedNilGroupInsideTransforms(t *testing.T) {
	noRingEnv(t)
	f := func(args []*mlx.Array) ([]*mlx.Array, error) {
		return []*mlx.Array{mlx.Sum(mlx.AllSum(mlx.Multiply(args[0], args[0]), nil), false)}, nil
	}
	x := mlx.FromSlice([]float32{1, 2, 3})
	compiled, err := mlx.Compile(f, false)
	if err != nil {
		t.Fatal(err)
	}
	out, err := compiled([]*mlx.Array{x})
	if err != nil {
		t.Fatalf("compiled: %v", err)
	}
	if v, err := mlx.Item[float32](out[0]); err != nil || v != 14 {
		t.Fatalf("compiled sum of squares = %v, %v; want 14", v, err)
	}
	grads, err := mlx.Grad(f)(x)
	if err != nil {
		t.Fatalf("grad: %v", err)
	}
	if g, err := mlx.Data[float32](grads[0]); err != nil || !slices.Equal(g, []float32{2, 4, 6}) {
		t.Fatalf("grad = %v, %v; want [2 4 6]", g, err)
	}
}
