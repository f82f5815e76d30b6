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
