// Package realtime is remote video mediation: rooms, the signalling protocol,
// the pion/webrtc v4 SFU and server-side recording. It talks to sockets
// through a small interface so that it neither imports Fiber nor needs a
// network in unit tests.
package realtime
