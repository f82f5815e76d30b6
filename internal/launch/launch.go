// Package launch starts the processes of one MLX distributed job on this
// machine, over MLX's ring backend on loopback or its NCCL backend on the
// machine's NVIDIA GPUs: the engine of cmd/mlxlaunch and of the distributed
// tests.
//
// For the ring backend, Run picks a free loopback port per rank, writes the
// JSON hostfile the ring backend reads (one list of "ip:port" addresses per
// rank, in rank order), and starts N copies of a program with MLX_RANK,
// MLX_HOSTFILE and MLX_WORLD_SIZE set. For NCCL it sets MLX_RANK,
// MLX_WORLD_SIZE, NCCL_HOST_IP=127.0.0.1 and a free NCCL_PORT (where rank 0
// hands out NCCL's unique id), and gives each rank one GPU through
// CUDA_VISIBLE_DEVICES, as MLX's own launcher (mlx.launch) does: MLX's NCCL
// backend runs its collectives on the default GPU, device 0.
//
// Run prefixes each output line with the rank, collects every process's
// output and exit status, and ends the job on a timeout or when a process
// fails: the others get a grace period to fail by themselves (a peer's death
// should make them report an error), then are killed.
package launch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Backends Run can configure (Options.Backend).
const (
	Ring = "ring" // MLX's TCP ring over loopback (the default)
	NCCL = "nccl" // NVIDIA's NCCL, one GPU per rank
)

// Options configure a job.
type Options struct {
	N       int    // number of processes (ranks 0 to N-1); at least 1
	Backend string // Ring ("" too) or NCCL
	// GPUs are the CUDA devices the NCCL backend hands out: rank r sees
	// only GPUs[r % len(GPUs)] (CUDA_VISIBLE_DEVICES), as its device 0.
	// Empty means the entries of the inherited CUDA_VISIBLE_DEVICES or,
	// where that is unset, every GPU the NVIDIA driver lists (DetectGPUs).
	// NCCL refuses two ranks on one GPU. The ring backend ignores GPUs.
	GPUs    []string
	Timeout time.Duration // the whole job's limit; 0 means none
	// Grace is how long the other processes may run on after one fails
	// before they are killed; 0 means DefaultGrace.
	Grace  time.Duration
	Env    []string  // extra environment, "KEY=value", after the inherited one
	Dir    string    // working directory; "" means the current one
	Stdout io.Writer // each rank's stdout, lines prefixed "[rank] "; nil discards
	Stderr io.Writer // each rank's stderr, likewise
}

// DefaultGrace is the grace period after a failure when Options.Grace is 0.
const DefaultGrace = 5 * time.Second

// Proc is the outcome of one process.
type Proc struct {
	Rank     int
	ExitCode int    // the exit status; -1 if a signal ended it or it did not start
	Signal   string // the signal that ended it, if any
	Killed   bool   // the launcher killed it (timeout, or another rank failed)
	Stdout   []byte // its whole stdout, without prefixes
	Stderr   []byte // its whole stderr, without prefixes
	Err      error  // why it could not start, if it did not
}

// Failed reports whether the process did not exit with status 0.
func (p *Proc) Failed() bool { return p.Err != nil || p.ExitCode != 0 }

func (p *Proc) describe() string {
	switch {
	case p.Err != nil:
		return fmt.Sprintf("rank %d did not start: %v", p.Rank, p.Err)
	case p.Killed:
		return fmt.Sprintf("rank %d killed", p.Rank)
	case p.Signal != "":
		return fmt.Sprintf("rank %d died of %s", p.Rank, p.Signal)
	}
	return fmt.Sprintf("rank %d exited with status %d", p.Rank, p.ExitCode)
}

// Result is the outcome of a job.
type Result struct {
	Procs    []Proc // by rank
	Hostfile string // the hostfile's contents ("" for one process)
	TimedOut bool   // the job ran past Options.Timeout and was killed
	Canceled bool   // the caller's context was canceled (Ctrl-C) and the job killed
	First    int    // the rank whose failure ended the job, or -1
}

// Error is the error of a job that did not succeed.
type Error struct {
	Result *Result
	Msg    string
}

func (e *Error) Error() string { return "launch: " + e.Msg }

// Run runs the job and waits for it. It returns a *Error unless every
// process exited with status 0; the Result is complete either way. A nil
// Result comes only with a setup error (bad options, no free port).
func Run(ctx context.Context, opts Options, program string, args ...string) (*Result, error) {
	if opts.N < 1 {
		return nil, fmt.Errorf("launch: %d processes: need at least 1", opts.N)
	}
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	switch opts.Backend {
	case "", Ring, NCCL:
	default:
		return nil, fmt.Errorf("launch: backend %q: want %q or %q", opts.Backend, Ring, NCCL)
	}
	nccl := opts.Backend == NCCL
	gpus := opts.GPUs
	if nccl && len(gpus) == 0 {
		if gpus = DetectGPUs(); len(gpus) == 0 {
			return nil, fmt.Errorf("launch: backend nccl: no GPUs (CUDA_VISIBLE_DEVICES empty or no NVIDIA driver)")
		}
	}
	res := &Result{Procs: make([]Proc, opts.N), First: -1}
	// A launcher run from inside another job must not pass that job's
	// settings on (with -n 1 the program would try to join it).
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "MLX_HOSTFILE", "MLX_RANK", "MLX_WORLD_SIZE", "NCCL_HOST_IP", "NCCL_PORT":
		case "CUDA_VISIBLE_DEVICES":
			if !nccl {
				env = append(env, kv)
			}
		default:
			env = append(env, kv)
		}
	}
	env = append(env, opts.Env...)
	env = append(env, "MLX_WORLD_SIZE="+strconv.Itoa(opts.N))
	if nccl {
		port, err := freePort()
		if err != nil {
			return nil, fmt.Errorf("launch: %v", err)
		}
		env = append(env, "NCCL_HOST_IP=127.0.0.1", "NCCL_PORT="+strconv.Itoa(port))
	} else if opts.N > 1 {
		dir, err := os.MkdirTemp("", "mlxlaunch")
		if err != nil {
			return nil, fmt.Errorf("launch: %v", err)
		}
		defer os.RemoveAll(dir)
		hosts, err := hostfile(opts.N)
		if err != nil {
			return nil, fmt.Errorf("launch: %v", err)
		}
		path := filepath.Join(dir, "hostfile.json")
		if err := os.WriteFile(path, hosts, 0o600); err != nil {
			return nil, fmt.Errorf("launch: %v", err)
		}
		res.Hostfile = string(hosts)
		env = append(env, "MLX_HOSTFILE="+path)
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}

	var outMu sync.Mutex // one line at a time on the shared writers
	type exit struct {
		rank int
		err  error
	}
	exits := make(chan exit, opts.N)
	cmds := make([]*exec.Cmd, opts.N)
	done := make([]bool, opts.N) // its Wait returned
	var outs []*prefixWriter
	running := 0
	for rank := range opts.N {
		p := &res.Procs[rank]
		p.Rank, p.ExitCode = rank, -1
		cmd := exec.Command(program, args...)
		cmd.Dir = opts.Dir
		cmd.Env = append(append([]string{}, env...), "MLX_RANK="+strconv.Itoa(rank))
		if nccl {
			cmd.Env = append(cmd.Env, "CUDA_VISIBLE_DEVICES="+gpus[rank%len(gpus)])
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // kill its children too
		// Wait also waits for the output pipes, which a child that left the
		// process group may hold open: give up on them after the grace.
		cmd.WaitDelay = opts.Grace
		so := &prefixWriter{prefix: fmt.Sprintf("[%d] ", rank), dst: opts.Stdout, mu: &outMu}
		se := &prefixWriter{prefix: fmt.Sprintf("[%d] ", rank), dst: opts.Stderr, mu: &outMu}
		outs = append(outs, so, se)
		cmd.Stdout, cmd.Stderr = so, se
		if err := cmd.Start(); err != nil {
			p.Err = err
			if res.First < 0 {
				res.First = rank
			}
			continue
		}
		cmds[rank] = cmd
		running++
		go func() { exits <- exit{rank, cmd.Wait()} }()
	}

	kill := func() {
		for rank, cmd := range cmds {
			if cmd != nil && !done[rank] && !res.Procs[rank].Killed {
				res.Procs[rank].Killed = true
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			}
		}
	}
	var grace <-chan time.Time
	if res.First >= 0 {
		grace = time.After(opts.Grace)
	}
	ctxDone := ctx.Done()
	for running > 0 {
		select {
		case e := <-exits:
			running--
			done[e.rank] = true
			p := &res.Procs[e.rank]
			st := cmds[e.rank].ProcessState
			p.ExitCode = st.ExitCode()
			ws, ok := st.Sys().(syscall.WaitStatus)
			if ok && ws.Signaled() {
				p.Signal = ws.Signal().String()
			}
			// kill() marks every rank still running; one that had exited on
			// its own just before keeps its real status.
			if p.Killed && !(ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL) {
				p.Killed = false
			}
			if p.Failed() && !p.Killed && res.First < 0 {
				res.First = e.rank
				grace = time.After(opts.Grace)
			}
		case <-grace:
			grace = nil
			kill()
		case <-ctxDone:
			ctxDone = nil // handled: a closed channel would make this loop spin
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				res.TimedOut = true
			} else {
				res.Canceled = true
			}
			kill()
		}
	}
	for rank, w := range outs {
		w.flush()
		if rank%2 == 0 {
			res.Procs[rank/2].Stdout = w.all.Bytes()
		} else {
			res.Procs[rank/2].Stderr = w.all.Bytes()
		}
	}
	return res, res.err(opts)
}

func (r *Result) err(opts Options) error {
	var failed, killed []string
	for i := range r.Procs {
		p := &r.Procs[i]
		if p.Killed {
			killed = append(killed, strconv.Itoa(p.Rank))
		} else if p.Failed() {
			failed = append(failed, p.describe())
		}
	}
	var msg string
	switch {
	case r.TimedOut, r.Canceled:
		msg = fmt.Sprintf("timed out after %v", opts.Timeout)
		if r.Canceled {
			msg = "canceled"
		}
		if len(failed) > 0 {
			msg += "; " + strings.Join(failed, "; ")
		}
	case r.First >= 0:
		// The first failure first: it is usually the cause of the others.
		first := r.Procs[r.First].describe()
		rest := []string{first}
		for _, f := range failed {
			if f != first {
				rest = append(rest, f)
			}
		}
		msg = strings.Join(rest, "; ")
	default:
		return nil
	}
	if len(killed) > 0 {
		msg += "; killed rank"
		if len(killed) > 1 {
			msg += "s"
		}
		msg += " " + strings.Join(killed, ", ")
	}
	return &Error{Result: r, Msg: msg}
}

// hostfile returns the ring backend's hostfile for n ranks on loopback, one
// free port each. The ports are free when chosen; another program could take
// one before MLX binds it, which makes that rank fail to start the ring.
func hostfile(n int) ([]byte, error) {
	var hosts [][]string
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("no free loopback port: %v", err)
		}
		ls = append(ls, l)
		hosts = append(hosts, []string{l.Addr().String()})
	}
	return json.Marshal(hosts)
}

// freePort returns a TCP port that is free on every interface when chosen
// (MLX's NCCL bootstrap binds rank 0's port on all of them).
func freePort() (int, error) {
	l, err := net.Listen("tcp4", ":0")
	if err != nil {
		return 0, fmt.Errorf("no free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// DetectGPUs returns the CUDA devices a job may hand out: the entries of
// CUDA_VISIBLE_DEVICES where it is set (none if it is empty), else "0" to
// "n-1" for the n GPUs the NVIDIA driver lists in /proc/driver/nvidia/gpus
// (none without the driver).
func DetectGPUs() []string {
	if v, ok := os.LookupEnv("CUDA_VISIBLE_DEVICES"); ok {
		var out []string
		for _, d := range strings.Split(v, ",") {
			if d = strings.TrimSpace(d); d != "" {
				out = append(out, d)
			}
		}
		return out
	}
	entries, err := os.ReadDir("/proc/driver/nvidia/gpus")
	if err != nil {
		return nil
	}
	var out []string
	for i := range entries {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

// prefixWriter copies a process's output to dst line by line, each line
// prefixed, and keeps all of it.
type prefixWriter struct {
	prefix string
	dst    io.Writer
	mu     *sync.Mutex
	line   []byte
	all    bytes.Buffer
}

func (w *prefixWriter) Write(b []byte) (int, error) {
	w.all.Write(b)
	if w.dst == nil {
		return len(b), nil
	}
	w.line = append(w.line, b...)
	for {
		i := bytes.IndexByte(w.line, '\n')
		if i < 0 {
			break
		}
		w.emit(w.line[:i+1])
		w.line = w.line[i+1:]
	}
	return len(b), nil
}

func (w *prefixWriter) emit(line []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	// Output is best effort: a closed terminal must not stop the job.
	_, _ = io.WriteString(w.dst, w.prefix)
	_, _ = w.dst.Write(line)
}

// flush writes a last line without a newline.
func (w *prefixWriter) flush() {
	if w.dst != nil && len(w.line) > 0 {
		w.emit(append(w.line, '\n'))
		w.line = nil
	}
}
