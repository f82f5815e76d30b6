package mlx

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// findPeers finds the ring backend's sockets to g's neighbours: the
// connections whose far end is the right neighbour's address, or whose near
// end is this rank's own address (accepted from the left neighbour), read
// from /proc/net/tcp{,6} and matched to this process's descriptors.
func findPeers(g *Group) *peerSockets {
	ring, ok := ringHosts(g)
	if !ok {
		return nil
	}
	n, r := len(ring), g.rank
	right, left := (r+1)%n, (r+n-1)%n
	want := map[string]int{} // "near|far" key part -> peer rank; near: "L:addr", far: "R:addr"
	for _, a := range ring[r] {
		want["L:"+a] = left
	}
	for _, a := range ring[right] {
		want["R:"+a] = right
	}
	byInode := map[string]int{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		file, err := os.Open(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			fs := strings.Fields(sc.Text())
			if len(fs) < 10 || fs[3] != "01" { // established only
				continue
			}
			local, remote := procAddr(fs[1]), procAddr(fs[2])
			if peer, ok := want["L:"+local]; ok {
				byInode[fs[9]] = peer
			} else if peer, ok := want["R:"+remote]; ok {
				byInode[fs[9]] = peer
			}
		}
		file.Close()
	}
	fdDir := "/proc/self/fd"
	entries, err := os.ReadDir(fdDir)
	if err != nil {
		return nil
	}
	p := &peerSockets{}
	for _, e := range entries {
		link, err := os.Readlink(filepath.Join(fdDir, e.Name()))
		if err != nil || !strings.HasPrefix(link, "socket:[") {
			continue
		}
		peer, ok := byInode[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")]
		fd, err := strconv.Atoi(e.Name())
		if ok && err == nil && len(p.fds) < 64 {
			p.fds = append(p.fds, cint(fd))
			p.ranks = append(p.ranks, peer)
		}
	}
	if len(p.fds) == 0 {
		return nil
	}
	return p
}

// procAddr turns /proc/net/tcp's "0100007F:1F90" into "127.0.0.1:8080".
func procAddr(s string) string {
	ipHex, portHex, ok := strings.Cut(s, ":")
	if !ok {
		return ""
	}
	b, err := hex.DecodeString(ipHex)
	port, err2 := strconv.ParseUint(portHex, 16, 16)
	if err != nil || err2 != nil {
		return ""
	}
	// The kernel prints each 32-bit word in host (little-endian) order.
	for i := 0; i+4 <= len(b); i += 4 {
		b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
	}
	ip := net.IP(b)
	if v4 := ip.To4(); v4 != nil {
		ip = v4
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(int(port)))
}

type peerSockets struct {
	fds   []cint
	ranks []int
}

// lost describes the first neighbour whose connection is gone, or "".
func (p *peerSockets) lost() string {
	if p == nil {
		return ""
	}
	i := int(gomlxFirstHangup(&p.fds[0], cint(len(p.fds))))
	if i < 0 {
		return ""
	}
	return fmt.Sprintf("rank %d closed its connection (it exited or crashed)", p.ranks[i])
}
