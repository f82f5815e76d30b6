package mlx

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// Sentinels of Group.Eval's errors, for errors.Is.
var (
	// ErrPeerLost: a process of the group closed its connection (it exited or crashed).
	ErrPeerLost = errors.New("distributed peer lost")
	// ErrTimeout: an evaluation did not finish in the time allowed.
	ErrTimeout = errors.New("timed out")
)

// Distributed backends MLX knows, for DistributedInit and
// DistributedIsAvailable. Which are built in depends on the MLX build: ring
// (TCP sockets, every build) and mpi (when an MPI library is found at run
// time) run on the CPU; nccl needs CUDA, jaccl RDMA over Thunderbolt.
const (
	BackendAny   = "any"   // the first that initializes: nccl (with CUDA), ring, mpi, jaccl
	BackendRing  = "ring"  // MLX's TCP ring; reads MLX_RANK and MLX_HOSTFILE
	BackendMPI   = "mpi"   // MPI, loaded at run time
	BackendNCCL  = "nccl"  // NVIDIA's NCCL; reads MLX_RANK, MLX_WORLD_SIZE, NCCL_HOST_IP, NCCL_PORT
	BackendJACCL = "jaccl" // RDMA over Thunderbolt (macOS)
)

// Group is a group of processes that communicate through one distributed
// backend: the handle of mx.distributed.Group. DistributedInit returns the
// global group; Split makes subgroups. Collectives (AllSum, AllGather,
// AllMax, AllMin, SumScatter, Send, Recv, RecvLike) take a *Group, nil
// meaning the global group.
//
// Free releases the handle (twice is fine); a freed group given to a
// collective is an error (ErrFreed). Rank and Size stay readable after Free.
// Groups nobody frees are released when the garbage collector finds them
// unreachable. Like an Array, a Group may be used from any goroutine but not
// freed while in use.
type Group struct {
	c     mlxDistributedGroup
	freed bool
	rank  int
	size  int
	comm  *Device // where the backend communicates (nil: the default device)

	peersOnce sync.Once
	peers     *peerSockets // the ring's sockets to the neighbours, if found
}

// newGroup wraps a handle returned by MLX, reading its rank and size once
// (they never change).
func newGroup(op string, c mlxDistributedGroup) (*Group, error) {
	var rank, size cint
	if msg := gomlxDistributedGroupInfo(c, &rank, &size); msg != nil {
		mlxDistributedGroupFree(c)
		return nil, takeError(op, msg)
	}
	g := &Group{c: c, rank: int(rank), size: int(size)}
	runtime.SetFinalizer(g, (*Group).Free)
	return g, nil
}

// DistributedInit initializes MLX's distributed backend and returns the
// global group of every process of the job, like Python's
// mx.distributed.init(strict, backend). backend is one of the Backend
// constants; "" means BackendAny. Without strict, a backend that is not
// configured (for the ring: MLX_RANK or MLX_HOSTFILE unset) gives a group of
// one process, in which collectives return their input; with strict it is an
// error. A backend initializes once per process: later calls return the same
// group.
//
// Initializing the ring backend connects to the process's neighbours and
// waits for them: it returns once both are connected, fails after about 30 s
// of refused connections, and waits without limit for a neighbour that never
// connects (run jobs under a launcher with a timeout, such as
// cmd/mlxlaunch). A group of more than one process makes the process ignore
// SIGPIPE, as Python does, so that a send to a peer that died fails instead of
// killing the process (see Group.Eval). It runs on the MLX thread, so evaluation by other
// goroutines waits meanwhile.
func DistributedInit(backend string, strict bool) (*Group, error) {
	const op = "distributed.init"
	var cb *cchar
	if backend != "" {
		cb = cString(backend)
		defer cFree(unsafe.Pointer(cb))
	}
	var c mlxDistributedGroup
	if msg := gomlxDistributedInit(cbool(strict), cb, &c); msg != nil {
		return nil, takeError(op, msg)
	}
	g, err := newGroup(op, c)
	if err != nil {
		return nil, err
	}
	g.comm = commDeviceOf(backend, g.size)
	if g.size > 1 {
		// As in Python, which ignores SIGPIPE: a send to a peer that died
		// fails (and Group.Eval reports it) instead of killing the process.
		signal.Ignore(syscall.SIGPIPE)
	}
	// Collectives given a nil group use this group from now on, also inside
	// transforms, where the MLX thread cannot be asked. The cache keeps a
	// handle of its own: the caller may free g.
	var own mlxDistributedGroup
	if msg := gomlxDistributedInit(cbool(strict), cb, &own); msg == nil {
		setGlobalGroup(&Group{c: own, rank: g.rank, size: g.size, comm: g.comm})
	} else {
		cFree(unsafe.Pointer(msg))
	}
	return g, nil
}

// DistributedIsAvailable reports whether the MLX build has the distributed
// backend named by backend (one of the Backend constants; "" means any),
// like Python's mx.distributed.is_available. It says nothing about whether
// the backend is configured: see DistributedInit.
func DistributedIsAvailable(backend string) bool {
	var cb *cchar
	if backend != "" {
		cb = cString(backend)
		defer cFree(unsafe.Pointer(cb))
	}
	return gomlxDistributedIsAvailable(cb) != 0
}

// Rank returns the process's rank in the group: 0 to Size()-1.
func (g *Group) Rank() int {
	if g == nil {
		return 0
	}
	return g.rank
}

// Size returns the number of processes in the group.
func (g *Group) Size() int {
	if g == nil {
		return 0
	}
	return g.size
}

// String describes the group: "Group(rank 1 of 4)".
func (g *Group) String() string {
	if g == nil {
		return "Group(nil)"
	}
	return fmt.Sprintf("Group(rank %d of %d)", g.rank, g.size)
}

// Split divides the group into subgroups, like Python's Group.split: the
// processes that pass the same color form one subgroup, ordered by key (a
// negative key keeps their order in g). Every process of g must call it. The
// ring backend cannot split (an error); a group of one process cannot be
// split further.
func (g *Group) Split(color, key int) (*Group, error) {
	const op = "distributed.group.split"
	if err := g.use(op); err != nil {
		return nil, err
	}
	if color < math.MinInt32 || color > math.MaxInt32 || key < math.MinInt32 || key > math.MaxInt32 {
		return nil, newError(op, fmt.Sprintf("color %d or key %d does not fit in int32", color, key), ErrInvalidArgument)
	}
	var c mlxDistributedGroup
	msg := gomlxDistributedGroupSplit(g.c, cint(color), cint(key), &c)
	runtime.KeepAlive(g)
	if msg != nil {
		return nil, takeError(op, msg)
	}
	sub, err := newGroup(op, c)
	if err != nil {
		return nil, err
	}
	sub.comm = g.comm // the same backend
	return sub, nil
}

// Free releases the group's handle now. Free is safe to call twice. Arrays
// built on the group keep what they need; the backend's connections live as
// long as the process.
func (g *Group) Free() {
	if g == nil || g.freed {
		return
	}
	g.freed = true
	runtime.SetFinalizer(g, nil)
	if g.c.ctx != nil {
		mlxDistributedGroupFree(g.c)
		g.c.ctx = nil
	}
}

// Eval evaluates arrays whose graphs communicate through g, like Eval, but
// does not wait forever for a peer that is gone. MLX's backends have no
// timeouts: when a process of the job dies, the others wait for it without
// end. Eval returns an error wrapping ErrPeerLost as soon as a neighbour's
// connection closes (the ring backend on Linux, where the package can watch
// MLX's sockets), or one wrapping ErrTimeout once timeout passes (0 means no
// limit). MLX cannot cancel the evaluation it left running: after such an
// error, the process should report it and exit, and the arrays must not be
// freed. A closed connection counts whatever the cause: once a neighbour has
// finished its part of the job and exited, evaluate with Eval, not Group.Eval.
func (g *Group) Eval(timeout time.Duration, arrays ...*Array) error {
	const op = "distributed.eval"
	if err := g.use(op); err != nil {
		return err
	}
	g.peersOnce.Do(func() { g.peers = findPeers(g) })
	done := make(chan error, 1)
	go func() { done <- Eval(arrays...) }()
	var deadline <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		deadline = t.C
	}
	var poll <-chan time.Time
	if g.peers != nil {
		t := time.NewTicker(peerPollInterval)
		defer t.Stop()
		poll = t.C
	}
	for {
		select {
		case err := <-done:
			return err
		case <-deadline:
			return newError(op, fmt.Sprintf("not finished after %v (a peer may have died or stalled)", timeout), ErrTimeout)
		case <-poll:
			if lost := g.peers.lost(); lost != "" {
				// A peer that finished its part and exited also closes its
				// connections: the evaluation may still end well.
				select {
				case err := <-done:
					return err
				case <-time.After(peerLostGrace):
				}
				return newError(op, lost, ErrPeerLost)
			}
		}
	}
}

const (
	peerPollInterval = 50 * time.Millisecond
	peerLostGrace    = 250 * time.Millisecond
)

// ringHosts returns the ring backend's hostfile (MLX_HOSTFILE) with every
// address resolved, if this process runs in a ring job and g is its global
// group.
func ringHosts(g *Group) ([][]string, bool) {
	path, rankStr := os.Getenv("MLX_HOSTFILE"), os.Getenv("MLX_RANK")
	rank, err := strconv.Atoi(rankStr)
	if path == "" || err != nil || rank != g.rank {
		return nil, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var hosts [][]string
	if json.Unmarshal(data, &hosts) != nil || len(hosts) != g.size || g.size < 2 {
		return nil, false
	}
	for _, h := range hosts {
		for i, a := range h {
			addr, err := net.ResolveTCPAddr("tcp", a)
			if err != nil {
				return nil, false
			}
			h[i] = addr.String()
		}
	}
	return hosts, true
}

// use returns the error that prevents g from being used by op.
func (g *Group) use(op string) error {
	switch {
	case g == nil:
		return newError(op, "nil group", ErrInvalidArgument)
	case g.freed:
		return newError(op, "group used after Free", ErrFreed)
	}
	return nil
}

// The global group, for collectives given a nil group: MLX would call
// init() itself, from whatever thread the op runs on, racing on its table of
// backends. The package asks once on the MLX thread instead (a group of one
// where no backend is configured) and keeps the answer; DistributedInit
// replaces it with the group it initialized.
var globalGroup struct {
	sync.Mutex
	g *Group
}

// setGlobalGroup makes g, owned by the cache, the global group. A replaced
// handle is kept, not freed: an op on another goroutine may have just been
// given it (a few bytes, once per DistributedInit).
func setGlobalGroup(g *Group) {
	globalGroup.Lock()
	defer globalGroup.Unlock()
	if old := globalGroup.g; old != nil {
		replacedGroups = append(replacedGroups, old)
	}
	globalGroup.g = g
}

// commDeviceOf returns the device where a group that DistributedInit(backend)
// made with size processes communicates: MLX's communication_stream, where a
// collective given no stream runs, as in Python. NCCL communicates on the
// GPU, the ring, MPI and JACCL on the CPU (MLX's ring has no GPU kernels: on
// a CUDA machine's default GPU stream it aborts the process); a group of one
// process has no backend and uses the default device (nil).
func commDeviceOf(backend string, size int) *Device {
	if size <= 1 {
		return nil
	}
	if backend == BackendNCCL || (backend == "" || backend == BackendAny) && ncclFirst() {
		return &Device{Type: GPU}
	}
	return &Device{Type: CPU}
}

// ncclFirst reports whether MLX's init("any") tries NCCL, which then either
// succeeds or fails the init: where CUDA is available and NCCL_HOST_IP,
// NCCL_PORT, MLX_RANK and MLX_WORLD_SIZE are all set.
func ncclFirst() bool {
	if ok, _ := CUDAIsAvailable(); !ok {
		return false
	}
	for _, v := range []string{"NCCL_HOST_IP", "NCCL_PORT", "MLX_RANK", "MLX_WORLD_SIZE"} {
		if os.Getenv(v) == "" {
			return false
		}
	}
	return true
}

// commTargetArg is targetArg for collectives: with no stream or device
// given, they run where their group communicates (commDeviceOf).
func commTargetArg(op string, on StreamOrDevice, g *Group, err *error) gomlxTarget {
	if on == nil && *err == nil {
		if g == nil {
			globalGroup.Lock()
			g = globalGroup.g // made by groupArg if it did not exist
			globalGroup.Unlock()
		}
		if g != nil && g.comm != nil {
			on = *g.comm
		}
	}
	return targetArg(op, on, err)
}

// replacedGroups keeps replaced global groups reachable (and unfreed).
var replacedGroups []*Group

func noRelease() {}

// groupArg converts a collective's group argument; nil means the global
// group. release frees a temporary handle after the call.
func groupArg(op string, g *Group, err *error) (mlxDistributedGroup, func()) {
	if *err != nil {
		return mlxDistributedGroup{}, noRelease
	}
	if g != nil {
		if e := g.use(op); e != nil {
			*err = e
			return mlxDistributedGroup{}, noRelease
		}
		return g.c, noRelease
	}
	globalGroup.Lock()
	defer globalGroup.Unlock()
	if globalGroup.g != nil {
		return globalGroup.g.c, noRelease
	}
	var c mlxDistributedGroup
	if msg := gomlxDistributedInit(false, nil, &c); msg != nil {
		*err = takeError(op, msg)
		return mlxDistributedGroup{}, noRelease
	}
	var rank, size cint
	if msg := gomlxDistributedGroupInfo(c, &rank, &size); msg != nil {
		mlxDistributedGroupFree(c)
		*err = takeError(op, msg)
		return mlxDistributedGroup{}, noRelease
	}
	globalGroup.g = &Group{c: c, rank: int(rank), size: int(size), comm: commDeviceOf(BackendAny, int(size))}
	return c, noRelease
}
