//go:build !linux

package mlx

// Watching the ring's sockets needs Linux's /proc; elsewhere Group.Eval
// relies on its timeout alone.

type peerSockets struct{}

func findPeers(*Group) *peerSockets { return nil }

func (p *peerSockets) lost() string { return "" }
