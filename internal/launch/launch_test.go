package launch

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A job run from inside another job does not inherit its ring settings.
func TestRunDropsInheritedRingSettings(t *testing.T) {
	t.Setenv("MLX_HOSTFILE", "/outer/hostfile.json")
	t.Setenv("MLX_RANK", "3")
	res, err := Run(context.Background(), Options{N: 1, Timeout: 10 * time.Second},
		"sh", "-c", `echo "${MLX_HOSTFILE:-none} $MLX_RANK $MLX_WORLD_SIZE"`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(res.Procs[0].Stdout)); got != "none 0 1" {
		t.Fatalf("child saw %q, want %q", got, "none 0 1")
	}
}

// Canceling the caller's context kills the job and says so; it is not a
// timeout.
func TestRunCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	res, err := Run(ctx, Options{N: 2, Timeout: time.Minute, Grace: time.Second}, "sleep", "30")
	if err == nil || !strings.Contains(err.Error(), "canceled") || res.TimedOut || !res.Canceled {
		t.Fatalf("err %v, timed out %v, canceled %v", err, res.TimedOut, res.Canceled)
	}
	for _, p := range res.Procs {
		if !p.Killed {
			t.Errorf("rank %d not killed: %+v", p.Rank, p)
		}
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("took %v", d)
	}
}

// A rank that exits on its own during the grace period keeps its status: it
// is not reported as killed.
func TestRunKeepsRealExitStatus(t *testing.T) {
	res, err := Run(context.Background(), Options{N: 2, Timeout: time.Minute, Grace: 3 * time.Second},
		"sh", "-c", `if [ "$MLX_RANK" = 0 ]; then exit 3; else sleep 0.5; exit 4; fi`)
	if err == nil {
		t.Fatal("no error")
	}
	if p := res.Procs[1]; p.Killed || p.ExitCode != 4 {
		t.Fatalf("rank 1: killed %v, exit %d; want its own exit status 4", p.Killed, p.ExitCode)
	}
	if !strings.Contains(err.Error(), "rank 0 exited with status 3") {
		t.Fatalf("error %v", err)
	}
}

// The NCCL backend: no hostfile, NCCL_HOST_IP and one NCCL_PORT for every
// rank, and one GPU per rank, round robin over Options.GPUs.
func TestRunNCCLEnvironment(t *testing.T) {
	t.Setenv("MLX_HOSTFILE", "/outer/hostfile.json")
	t.Setenv("NCCL_PORT", "1")
	res, err := Run(context.Background(), Options{N: 3, Backend: NCCL, GPUs: []string{"4", "7"}, Timeout: 10 * time.Second},
		"sh", "-c", `echo "${MLX_HOSTFILE:-none} $MLX_RANK $MLX_WORLD_SIZE $NCCL_HOST_IP $NCCL_PORT $CUDA_VISIBLE_DEVICES"`)
	if err != nil {
		t.Fatal(err)
	}
	var port string
	for r, want := range []string{"none 0 3 127.0.0.1 PORT 4", "none 1 3 127.0.0.1 PORT 7", "none 2 3 127.0.0.1 PORT 4"} {
		f := strings.Fields(string(res.Procs[r].Stdout))
		if len(f) != 6 {
			t.Fatalf("rank %d printed %q", r, res.Procs[r].Stdout)
		}
		if r == 0 {
			port = f[4]
		}
		if f[4] != port || port == "1" {
			t.Errorf("rank %d: NCCL_PORT %s (rank 0's: %s)", r, f[4], port)
		}
		f[4] = "PORT"
		if got := strings.Join(f, " "); got != want {
			t.Errorf("rank %d saw %q, want %q", r, got, want)
		}
	}
	if res.Hostfile != "" {
		t.Errorf("hostfile %q", res.Hostfile)
	}
}

// Without Options.GPUs the NCCL backend takes CUDA_VISIBLE_DEVICES's
// entries; an unknown backend is an error.
func TestRunNCCLGPUs(t *testing.T) {
	t.Setenv("CUDA_VISIBLE_DEVICES", "2, 3")
	if got := strings.Join(DetectGPUs(), ","); got != "2,3" {
		t.Errorf("DetectGPUs() = %q", got)
	}
	res, err := Run(context.Background(), Options{N: 2, Backend: NCCL, Timeout: 10 * time.Second},
		"sh", "-c", `echo $CUDA_VISIBLE_DEVICES`)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := strings.TrimSpace(string(res.Procs[0].Stdout)), strings.TrimSpace(string(res.Procs[1].Stdout)); a != "2" || b != "3" {
		t.Errorf("ranks saw CUDA_VISIBLE_DEVICES %q and %q", a, b)
	}
	t.Setenv("CUDA_VISIBLE_DEVICES", "")
	if _, err := Run(context.Background(), Options{N: 2, Backend: NCCL}, "true"); err == nil || !strings.Contains(err.Error(), "no GPUs") {
		t.Errorf("no GPUs: %v", err)
	}
	if _, err := Run(context.Background(), Options{N: 2, Backend: "mpi"}, "true"); err == nil || !strings.Contains(err.Error(), `backend "mpi"`) {
		t.Errorf("backend mpi: %v", err)
	}
}
